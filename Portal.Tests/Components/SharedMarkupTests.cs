using Microsoft.AspNetCore.Components;
using Portal.Components.Account.Shared;
using Portal.Components.Layout;
using Portal.Components.Shared;
using Portal.Domain.Security;

namespace Portal.Tests.Components;

public sealed class SharedMarkupTests : IAsyncDisposable
{
    private readonly MarkupRenderer _renderer = new();

    [Fact]
    public async Task PageHeader_TitleSubtitleAndActions_AreRendered()
    {
        RenderFragment actions = b => b.AddMarkupContent(0, "<button id=\"act\">Export</button>");

        var html = await _renderer.RenderAsync<PageHeader>(new Dictionary<string, object?>
        {
            [nameof(PageHeader.Title)] = "Payments & refunds",
            [nameof(PageHeader.Subtitle)] = "All gateways",
            [nameof(PageHeader.Actions)] = actions,
        });

        Assert.Contains("<h1 class=\"portal-page-title\">Payments &amp; refunds</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"portal-page-subtitle\">All gateways</p>", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"portal-page-actions\"><button id=\"act\">Export</button></div>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PageHeader_TitleOnly_HasNoSubtitleOrActions()
    {
        var html = await _renderer.RenderAsync<PageHeader>(new Dictionary<string, object?> { [nameof(PageHeader.Title)] = "Users" });

        Assert.Contains(">Users</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("portal-page-subtitle", html, StringComparison.Ordinal);
        Assert.DoesNotContain("portal-page-actions", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessDeniedNotice_ExplainsAndLinksBackToTheDashboard()
    {
        var html = await _renderer.RenderAsync<AccessDeniedNotice>();

        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Not available to your role</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/\">Back to the dashboard</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NavMenu_Staff_ShowsDashboardButNotAdminPages()
    {
        var html = await _renderer.RenderAsAsync<NavMenu>(MarkupRenderer.User("sam@shop.test", Roles.Staff));

        Assert.Contains("Dashboard", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/users\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/audit\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NavMenu_Admin_ShowsUsersAndAudit()
    {
        var html = await _renderer.RenderAsAsync<NavMenu>(MarkupRenderer.User("ada@shop.test", Roles.Admin));

        Assert.Contains("href=\"/users\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/audit\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NavMenu_Anonymous_ShowsNoItems()
    {
        var html = await _renderer.RenderAsAsync<NavMenu>(MarkupRenderer.Anonymous);

        Assert.DoesNotContain("Dashboard", html, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _renderer.DisposeAsync();
}

public sealed class NavItemTests
{
    [Theory]
    [InlineData("/users")]
    [InlineData("/audit")]
    public void IsVisibleTo_AdminOnlyItem_StaffNoAdminYes(string path)
    {
        var item = NavItems.All.Single(i => i.Path == path);

        Assert.False(item.IsVisibleTo(MarkupRenderer.User("sam", Roles.Staff)));
        Assert.False(item.IsVisibleTo(MarkupRenderer.User("fin", Roles.Finance)));
        Assert.True(item.IsVisibleTo(MarkupRenderer.User("ada", Roles.Admin)));
        Assert.True(item.IsVisibleTo(MarkupRenderer.User("both", Roles.Staff, Roles.Admin)));
    }

    [Fact]
    public void IsVisibleTo_ItemWithoutRoles_AnySignedInUserButNotAnonymous()
    {
        var dashboard = NavItems.All.Single(i => i.Path == "/");

        Assert.True(dashboard.IsVisibleTo(MarkupRenderer.User("sam", Roles.Staff)));
        Assert.True(dashboard.IsVisibleTo(MarkupRenderer.User("nobody")));
        Assert.False(dashboard.IsVisibleTo(MarkupRenderer.Anonymous));
    }

    [Fact]
    public void NavItems_EveryPathIsUnique()
    {
        Assert.Equal(NavItems.All.Count, NavItems.All.Select(i => i.Path).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}
