using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>The status poller's cursor on each gateway attempt, so every open attempt gets its turn.</summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261122000009_TransactionPolling")]
    public sealed class TransactionPolling : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LastPolledAtUtc",
                table: "PaymentTransactions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_PaymentTransactions_GatewayId_Status_LastPolledAtUtc",
                table: "PaymentTransactions",
                columns: new[] { "GatewayId", "Status", "LastPolledAtUtc" });
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_PaymentTransactions_GatewayId_Status_LastPolledAtUtc", table: "PaymentTransactions");
            migrationBuilder.DropColumn(name: "LastPolledAtUtc", table: "PaymentTransactions");
        }
    }
}
