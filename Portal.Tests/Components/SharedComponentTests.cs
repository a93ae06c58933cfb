using Bunit;
using Microsoft.AspNetCore.Components;
using Portal.Components.Account.Shared;
using Portal.Components.Layout;
using Portal.Components.Shared;
using Portal.Domain.Security;

namespace Portal.Tests.Components;

public sealed class SharedComponentTests : IAsyncLifetime
{
    private readonly PortalComponentContext _ctx = new();

    [Fact]
    public void PageHeader_TitleSubtitleAndActions_AreRendered()
    {
        RenderFragment actions = b => b.AddMarkupContent(0, "<button id=\"act\">Export</button>");

        var header = _ctx.Render<PageHeader>(p => p
            .Add(h => h.Title, "Payments & refunds")
            .Add(h => h.Subtitle, "All gateways")
            .Add(h => h.Actions, actions));

        Assert.Equal("Payments & refunds", header.Find("h1.portal-page-title").TextContent);
        Assert.Equal("All gateways", header.Find("p.portal-page-subtitle").TextContent);
        Assert.Equal("Export", header.Find(".portal-page-actions > button#act").TextContent);
        Assert.Contains("Payments &amp; refunds", header.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void PageHeader_TitleOnly_HasNoSubtitleOrActions()
    {
        var header = _ctx.Render<PageHeader>(p => p.Add(h => h.Title, "Users"));

        Assert.Equal("Users", header.Find("h1").TextContent);
        Assert.Empty(header.FindAll(".portal-page-subtitle"));
        Assert.Empty(header.FindAll(".portal-page-actions"));
    }

    [Fact]
    public void AccessDeniedNotice_ExplainsAndLinksBackToTheDashboard()
    {
        var notice = _ctx.Render<AccessDeniedNotice>();

        Assert.Equal("alert", notice.Find("[role=alert]").GetAttribute("role"));
        Assert.Equal("Not available to your role", notice.Find("h1").TextContent);
        Assert.Equal("Back to the dashboard", notice.Find("a[href='/']").TextContent);
    }

    [Fact]
    public void NavMenu_Staff_ShowsDashboardButNotAdminPages()
    {
        _ctx.SignIn("sam@shop.test", "sam", Roles.Staff);

        var menu = _ctx.Render<NavMenu>();

        Assert.Contains("Dashboard", menu.Find("[data-testid=nav]").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(menu.FindAll("a[href='/phone-payments']"));
        Assert.Empty(menu.FindAll("a[href='/users']"));
        Assert.Empty(menu.FindAll("a[href='/audit']"));
    }

    [Fact]
    public void NavMenu_Admin_ShowsUsersAndAudit()
    {
        _ctx.SignIn("ada@shop.test", "ada", Roles.Admin);

        var menu = _ctx.Render<NavMenu>();

        Assert.NotEmpty(menu.FindAll("a[href='/users']"));
        Assert.NotEmpty(menu.FindAll("a[href='/audit']"));
    }

    [Fact]
    public void NavMenu_Anonymous_ShowsNoItems()
    {
        var menu = _ctx.Render<NavMenu>();

        Assert.Empty(menu.FindAll("a"));
        Assert.DoesNotContain("Dashboard", menu.Markup, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();
}

public sealed class NavItemTests
{
    [Theory]
    [InlineData("/users")]
    [InlineData("/audit")]
    public void IsVisibleTo_AdminOnlyItem_StaffNoAdminYes(string path)
    {
        var item = NavItems.All.Single(i => i.Path == path);

        Assert.False(item.IsVisibleTo(PortalComponentContext.User("sam", Roles.Staff)));
        Assert.False(item.IsVisibleTo(PortalComponentContext.User("fin", Roles.Finance)));
        Assert.True(item.IsVisibleTo(PortalComponentContext.User("ada", Roles.Admin)));
        Assert.True(item.IsVisibleTo(PortalComponentContext.User("both", Roles.Staff, Roles.Admin)));
    }

    [Fact]
    public void IsVisibleTo_ItemWithoutRoles_AnySignedInUserButNotAnonymous()
    {
        var dashboard = NavItems.All.Single(i => i.Path == "/");

        Assert.True(dashboard.IsVisibleTo(PortalComponentContext.User("sam", Roles.Staff)));
        Assert.True(dashboard.IsVisibleTo(PortalComponentContext.User("nobody")));
        Assert.False(dashboard.IsVisibleTo(PortalComponentContext.Anonymous));
    }

    [Fact]
    public void NavItems_EveryPathIsUnique()
    {
        Assert.Equal(NavItems.All.Count, NavItems.All.Select(i => i.Path).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}
