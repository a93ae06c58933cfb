using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>
    /// A delivery counts the replays of its event (answered as duplicates) and when the last one
    /// came. The Webhooks page shows them, and flags a card-gateway refund received more than once:
    /// its callback has no refund id, so a second refund of the same amount looks like a replay.
    /// </summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261122000015_WebhookReplays")]
    public sealed class WebhookReplays : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Replays",
                table: "WebhookDeliveries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastReplayAtUtc",
                table: "WebhookDeliveries",
                type: "TEXT",
                nullable: true);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // EF's DropColumn is not supported on SQLite; SQLite itself (3.35+) drops an unindexed column.
            migrationBuilder.Sql("""ALTER TABLE "WebhookDeliveries" DROP COLUMN "LastReplayAtUtc";""");
            migrationBuilder.Sql("""ALTER TABLE "WebhookDeliveries" DROP COLUMN "Replays";""");
        }
    }
}
