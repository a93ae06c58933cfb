using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>Agent-assisted phone payment sessions started from the portal.</summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261122000008_PhoneSessions")]
    public sealed class PhoneSessions : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PhoneSessions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PaymentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MerchantReference = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    SessionGuid = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ProviderSessionGuid = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    IframeUrl = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    AmountMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    CallerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CallerEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    CreatedById = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table => table.PrimaryKey("PK_PhoneSessions", x => x.Id));

            migrationBuilder.CreateIndex(
                name: "IX_PhoneSessions_MerchantReference",
                table: "PhoneSessions",
                column: "MerchantReference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PhoneSessions_PaymentId",
                table: "PhoneSessions",
                column: "PaymentId");

            migrationBuilder.CreateIndex(
                name: "IX_PhoneSessions_CreatedById_CreatedAtUtc",
                table: "PhoneSessions",
                columns: new[] { "CreatedById", "CreatedAtUtc" });
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "PhoneSessions");
        }
    }
}
