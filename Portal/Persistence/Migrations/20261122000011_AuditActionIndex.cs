using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>The audit page's action filter and its dropdown of distinct actions seek an index instead of scanning the log.</summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261122000011_AuditActionIndex")]
    public sealed class AuditActionIndex : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Action_OccurredAtUtc",
                table: "AuditEntries",
                columns: new[] { "Action", "OccurredAtUtc" });
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_AuditEntries_Action_OccurredAtUtc", table: "AuditEntries");
        }
    }
}
