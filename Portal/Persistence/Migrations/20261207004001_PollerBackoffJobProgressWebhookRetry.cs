using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>
    /// The status poller's per-attempt backoff and claims (next poll time, attempts, claim token,
    /// flag for a person), a job run's live progress (items claimed and done), and the webhook
    /// retry's failure kind, next try, tries and claims.
    /// </summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261207004001_PollerBackoffJobProgressWebhookRetry")]
    public sealed class PollerBackoffJobProgressWebhookRetry : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(name: "NextPollAtUtc", table: "PaymentTransactions", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<int>(name: "PollAttempts", table: "PaymentTransactions", type: "INTEGER", nullable: false, defaultValue: 0);
            migrationBuilder.AddColumn<string>(name: "PollClaim", table: "PaymentTransactions", type: "TEXT", maxLength: 64, nullable: true);
            migrationBuilder.AddColumn<DateTime>(name: "PollFlaggedAtUtc", table: "PaymentTransactions", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<string>(name: "PollFlagReason", table: "PaymentTransactions", type: "TEXT", maxLength: 500, nullable: true);
            migrationBuilder.CreateIndex(
                name: "IX_PaymentTransactions_GatewayId_Status_NextPollAtUtc",
                table: "PaymentTransactions",
                columns: new[] { "GatewayId", "Status", "NextPollAtUtc" });
            migrationBuilder.CreateIndex(
                name: "IX_PaymentTransactions_PollClaim",
                table: "PaymentTransactions",
                column: "PollClaim",
                filter: "\"PollClaim\" IS NOT NULL");

            migrationBuilder.AddColumn<int>(name: "ItemsClaimed", table: "JobRuns", type: "INTEGER", nullable: false, defaultValue: 0);
            migrationBuilder.AddColumn<int>(name: "ItemsDone", table: "JobRuns", type: "INTEGER", nullable: false, defaultValue: 0);

            migrationBuilder.AddColumn<string>(name: "FailureKind", table: "WebhookDeliveries", type: "TEXT", maxLength: 20, nullable: true);
            migrationBuilder.AddColumn<DateTime>(name: "NextRetryAtUtc", table: "WebhookDeliveries", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<int>(name: "AutoRetries", table: "WebhookDeliveries", type: "INTEGER", nullable: false, defaultValue: 0);
            migrationBuilder.AddColumn<string>(name: "RetryClaim", table: "WebhookDeliveries", type: "TEXT", maxLength: 64, nullable: true);
            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_Status_NextRetryAtUtc",
                table: "WebhookDeliveries",
                columns: new[] { "Status", "NextRetryAtUtc" });
            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_RetryClaim",
                table: "WebhookDeliveries",
                column: "RetryClaim",
                filter: "\"RetryClaim\" IS NOT NULL");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_WebhookDeliveries_RetryClaim", table: "WebhookDeliveries");
            migrationBuilder.DropIndex(name: "IX_WebhookDeliveries_Status_NextRetryAtUtc", table: "WebhookDeliveries");
            // EF's DropColumn is not supported on SQLite; SQLite itself (3.35+) drops an unindexed column.
            migrationBuilder.Sql("""ALTER TABLE "WebhookDeliveries" DROP COLUMN "RetryClaim";""");
            migrationBuilder.Sql("""ALTER TABLE "WebhookDeliveries" DROP COLUMN "AutoRetries";""");
            migrationBuilder.Sql("""ALTER TABLE "WebhookDeliveries" DROP COLUMN "NextRetryAtUtc";""");
            migrationBuilder.Sql("""ALTER TABLE "WebhookDeliveries" DROP COLUMN "FailureKind";""");
            migrationBuilder.Sql("""ALTER TABLE "JobRuns" DROP COLUMN "ItemsDone";""");
            migrationBuilder.Sql("""ALTER TABLE "JobRuns" DROP COLUMN "ItemsClaimed";""");
            migrationBuilder.DropIndex(name: "IX_PaymentTransactions_PollClaim", table: "PaymentTransactions");
            migrationBuilder.DropIndex(name: "IX_PaymentTransactions_GatewayId_Status_NextPollAtUtc", table: "PaymentTransactions");
            migrationBuilder.Sql("""ALTER TABLE "PaymentTransactions" DROP COLUMN "PollFlagReason";""");
            migrationBuilder.Sql("""ALTER TABLE "PaymentTransactions" DROP COLUMN "PollFlaggedAtUtc";""");
            migrationBuilder.Sql("""ALTER TABLE "PaymentTransactions" DROP COLUMN "PollClaim";""");
            migrationBuilder.Sql("""ALTER TABLE "PaymentTransactions" DROP COLUMN "PollAttempts";""");
            migrationBuilder.Sql("""ALTER TABLE "PaymentTransactions" DROP COLUMN "NextPollAtUtc";""");
        }
    }
}
