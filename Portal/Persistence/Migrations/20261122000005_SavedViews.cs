using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>
    /// Saved list views per user, and the indexes the payments and transactions lists need beyond
    /// the Payments migration: customer name (sort, name search), tenant filter, transaction
    /// currency filter and requested-amount sort.
    /// </summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261122000005_SavedViews")]
    public sealed class SavedViews : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SavedViews",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    List = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    QueryString = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SavedViews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SavedViews_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SavedViews_UserId_List_Name",
                table: "SavedViews",
                columns: new[] { "UserId", "List", "Name" },
                unique: true);

            // The lists order by (CreatedAtUtc, Id) and (FinalAmount, Id): indexes in exactly that
            // order let a deep page skip entries without reading rows.
            migrationBuilder.DropIndex(name: "IX_Payments_CreatedAtUtc", table: "Payments");
            migrationBuilder.CreateIndex(
                name: "IX_Payments_CreatedAtUtc_Id",
                table: "Payments",
                columns: new[] { "CreatedAtUtc", "Id" });

            migrationBuilder.DropIndex(name: "IX_Payments_FinalAmount", table: "Payments");
            migrationBuilder.CreateIndex(
                name: "IX_Payments_FinalAmount_Id",
                table: "Payments",
                columns: new[] { "FinalAmount", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_Currency_FinalAmount",
                table: "Payments",
                columns: new[] { "Currency", "FinalAmount" });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_CustomerName_Id",
                table: "Payments",
                columns: new[] { "CustomerName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_Tenant_CreatedAtUtc",
                table: "Payments",
                columns: new[] { "Tenant", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentTransactions_Currency_CreatedAtUtc",
                table: "PaymentTransactions",
                columns: new[] { "Currency", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentTransactions_RequestedAmount",
                table: "PaymentTransactions",
                column: "RequestedAmount");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_PaymentTransactions_RequestedAmount", table: "PaymentTransactions");
            migrationBuilder.DropIndex(name: "IX_PaymentTransactions_Currency_CreatedAtUtc", table: "PaymentTransactions");
            migrationBuilder.DropIndex(name: "IX_Payments_Tenant_CreatedAtUtc", table: "Payments");
            migrationBuilder.DropIndex(name: "IX_Payments_CustomerName_Id", table: "Payments");
            migrationBuilder.DropIndex(name: "IX_Payments_Currency_FinalAmount", table: "Payments");
            migrationBuilder.DropIndex(name: "IX_Payments_FinalAmount_Id", table: "Payments");
            migrationBuilder.CreateIndex(name: "IX_Payments_FinalAmount", table: "Payments", column: "FinalAmount");
            migrationBuilder.DropIndex(name: "IX_Payments_CreatedAtUtc_Id", table: "Payments");
            migrationBuilder.CreateIndex(name: "IX_Payments_CreatedAtUtc", table: "Payments", column: "CreatedAtUtc");
            migrationBuilder.DropTable(name: "SavedViews");
        }
    }
}
