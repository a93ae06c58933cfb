using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>
    /// The refund-verification job's per-refund backoff and claims (next check time, checks made,
    /// claim token) and its flag for a person (a refund still unresolved past its age); an index for
    /// the transactions list's "flagged for a person" filter.
    /// </summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261207005001_RefundVerificationBackoff")]
    public sealed class RefundVerificationBackoff : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(name: "NextCheckAtUtc", table: "Refunds", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<int>(name: "CheckAttempts", table: "Refunds", type: "INTEGER", nullable: false, defaultValue: 0);
            migrationBuilder.AddColumn<string>(name: "CheckClaim", table: "Refunds", type: "TEXT", maxLength: 64, nullable: true);
            migrationBuilder.AddColumn<DateTime>(name: "FlaggedAtUtc", table: "Refunds", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<string>(name: "FlagReason", table: "Refunds", type: "TEXT", maxLength: 500, nullable: true);
            migrationBuilder.CreateIndex(
                name: "IX_Refunds_Status_NextCheckAtUtc",
                table: "Refunds",
                columns: new[] { "Status", "NextCheckAtUtc" });
            migrationBuilder.CreateIndex(
                name: "IX_Refunds_CheckClaim",
                table: "Refunds",
                column: "CheckClaim",
                filter: "\"CheckClaim\" IS NOT NULL");
            migrationBuilder.CreateIndex(
                name: "IX_PaymentTransactions_PollFlaggedAtUtc",
                table: "PaymentTransactions",
                column: "PollFlaggedAtUtc",
                filter: "\"PollFlaggedAtUtc\" IS NOT NULL");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_PaymentTransactions_PollFlaggedAtUtc", table: "PaymentTransactions");
            migrationBuilder.DropIndex(name: "IX_Refunds_CheckClaim", table: "Refunds");
            migrationBuilder.DropIndex(name: "IX_Refunds_Status_NextCheckAtUtc", table: "Refunds");
            // EF's DropColumn is not supported on SQLite; SQLite itself (3.35+) drops an unindexed column.
            migrationBuilder.Sql("""ALTER TABLE "Refunds" DROP COLUMN "FlagReason";""");
            migrationBuilder.Sql("""ALTER TABLE "Refunds" DROP COLUMN "FlaggedAtUtc";""");
            migrationBuilder.Sql("""ALTER TABLE "Refunds" DROP COLUMN "CheckClaim";""");
            migrationBuilder.Sql("""ALTER TABLE "Refunds" DROP COLUMN "CheckAttempts";""");
            migrationBuilder.Sql("""ALTER TABLE "Refunds" DROP COLUMN "NextCheckAtUtc";""");
        }
    }
}
