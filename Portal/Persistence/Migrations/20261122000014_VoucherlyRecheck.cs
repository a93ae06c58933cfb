using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>
    /// The Voucherly sync's second queue: settled (Confirmed) payments read again on a slower
    /// cadence (<c>VoucherlySyncStates.RecheckDueAtUtc</c>, indexed in due order), and an index
    /// on Payments (Source, Status) for its first queue, the open Voucherly payments. Confirmed
    /// Voucherly payments of the last 120 days (the default horizon) that the sync already knows
    /// are made due at once, oldest read first; older ones stay settled.
    /// </summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261122000014_VoucherlyRecheck")]
    public sealed class VoucherlyRecheck : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "RecheckDueAtUtc",
                table: "VoucherlySyncStates",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_VoucherlySyncStates_RecheckDueAtUtc_PaymentId",
                table: "VoucherlySyncStates",
                columns: new[] { "RecheckDueAtUtc", "PaymentId" });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_Source_Status",
                table: "Payments",
                columns: new[] { "Source", "Status" });

            // Dates are stored as 'yyyy-MM-dd HH:mm:ss.FFFFFFF' text, so they compare as text.
            migrationBuilder.Sql("""
                UPDATE "VoucherlySyncStates" SET "RecheckDueAtUtc" = "LastSyncedAtUtc"
                WHERE "PaymentId" IN (
                    SELECT "Id" FROM "Payments"
                    WHERE "Source" = 'Voucherly' AND "Status" = 'Confirmed'
                      AND "CreatedAtUtc" >= strftime('%Y-%m-%d %H:%M:%S', 'now', '-120 days'));
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_Payments_Source_Status", table: "Payments");
            migrationBuilder.DropIndex(name: "IX_VoucherlySyncStates_RecheckDueAtUtc_PaymentId", table: "VoucherlySyncStates");
            // EF's DropColumn is not supported on SQLite; SQLite itself (3.35+) drops an unindexed column.
            migrationBuilder.Sql("""ALTER TABLE "VoucherlySyncStates" DROP COLUMN "RecheckDueAtUtc";""");
        }
    }
}
