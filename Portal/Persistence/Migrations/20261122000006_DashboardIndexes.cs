using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>
    /// Indexes the dashboard reads from: payments per day by status and currency with the
    /// collected amount (a covering index, so the 30-day chart never touches the table), and
    /// status changes by target status and time (today's refunds).
    /// </summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261122000006_DashboardIndexes")]
    public sealed class DashboardIndexes : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Payments_CreatedAtUtc_Status_Currency_PaidAmount",
                table: "Payments",
                columns: new[] { "CreatedAtUtc", "Status", "Currency", "PaidAmount" });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentStatusChanges_ToStatus_AtUtc",
                table: "PaymentStatusChanges",
                columns: new[] { "ToStatus", "AtUtc" });
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_PaymentStatusChanges_ToStatus_AtUtc", table: "PaymentStatusChanges");
            migrationBuilder.DropIndex(name: "IX_Payments_CreatedAtUtc_Status_Currency_PaidAmount", table: "Payments");
        }
    }
}
