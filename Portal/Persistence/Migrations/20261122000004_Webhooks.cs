using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>Inbound webhook deliveries (masked payloads), unique per source and event.</summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261122000004_Webhooks")]
    public sealed class Webhooks : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "WebhookDeliveries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    EventKey = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    ExternalTransactionId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ReportedStatus = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    MaskedPayload = table.Column<string>(type: "TEXT", nullable: false),
                    ReceivedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ProcessedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PaymentId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table => table.PrimaryKey("PK_WebhookDeliveries", x => x.Id));

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_Source_EventKey",
                table: "WebhookDeliveries",
                columns: new[] { "Source", "EventKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_ReceivedAtUtc",
                table: "WebhookDeliveries",
                column: "ReceivedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_Status_ReceivedAtUtc",
                table: "WebhookDeliveries",
                columns: new[] { "Status", "ReceivedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_PaymentId",
                table: "WebhookDeliveries",
                column: "PaymentId");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "WebhookDeliveries");
        }
    }
}
