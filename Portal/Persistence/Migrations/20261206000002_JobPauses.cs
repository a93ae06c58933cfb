using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>Recurring jobs an admin paused (a row per paused job), so a restart keeps them paused.</summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261206000002_JobPauses")]
    public sealed class JobPauses : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "JobPauses",
                columns: table => new
                {
                    JobName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PausedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PausedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table => table.PrimaryKey("PK_JobPauses", x => x.JobName));
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "JobPauses");
        }
    }
}
