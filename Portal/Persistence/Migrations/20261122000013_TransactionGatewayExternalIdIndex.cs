using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>
    /// Webhooks look a transaction up by (gateway id, gateway transaction id) so that one source
    /// can never match another gateway's transaction. Not unique: the pair comes from outside
    /// the portal and existing data may repeat it; the lookup refuses an ambiguous match instead.
    /// </summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261122000013_TransactionGatewayExternalIdIndex")]
    public sealed class TransactionGatewayExternalIdIndex : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_PaymentTransactions_GatewayId_ExternalId1",
                table: "PaymentTransactions",
                columns: new[] { "GatewayId", "ExternalId1" });
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_PaymentTransactions_GatewayId_ExternalId1", table: "PaymentTransactions");
        }
    }
}
