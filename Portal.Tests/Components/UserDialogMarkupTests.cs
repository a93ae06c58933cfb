using Portal.Components.Pages.Users;
using Portal.Domain.Security;

namespace Portal.Tests.Components;

public sealed class UserDialogMarkupTests : IAsyncDisposable
{
    private readonly MarkupRenderer _renderer = new();

    [Fact]
    public async Task ErrorList_Messages_AreAnEncodedAlertList()
    {
        var html = await _renderer.RenderAsync<ErrorList>(new Dictionary<string, object?>
        {
            [nameof(ErrorList.Errors)] = new[] { "Passwords must be at least 12 characters.", "<b>not markup</b>" },
        });

        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains("<li>Passwords must be at least 12 characters.</li>", html, StringComparison.Ordinal);
        Assert.Contains("<li>&lt;b&gt;not markup&lt;/b&gt;</li>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorList_NoMessages_RendersNothing()
    {
        var html = await _renderer.RenderAsync<ErrorList>(new Dictionary<string, object?> { [nameof(ErrorList.Errors)] = Array.Empty<string>() });

        Assert.Equal("", html.Trim());
    }

    [Fact]
    public async Task RoleChoices_OneCheckboxPerRole_SelectedOnesChecked()
    {
        var html = await _renderer.RenderAsync<RoleChoices>(new Dictionary<string, object?>
        {
            [nameof(RoleChoices.Selected)] = new[] { Roles.Finance },
        });

        foreach (var role in Roles.All)
            Assert.Contains($"data-testid=\"role-{role}\"", html, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(html, "rz-state-active"));
    }

    private static int CountOf(string text, string part) =>
        (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    public ValueTask DisposeAsync() => _renderer.DisposeAsync();
}
