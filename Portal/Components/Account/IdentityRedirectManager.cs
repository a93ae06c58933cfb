using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Portal.Persistence;

namespace Portal.Components.Account;

internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public const string StatusCookieName = "Identity.StatusMessage";

    private static readonly CookieBuilder StatusCookieBuilder = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromSeconds(5),
    };

    public void RedirectTo(string? uri)
    {
        navigationManager.NavigateTo(LocalTarget(uri, navigationManager.BaseUri));
    }

    /// <summary>
    /// Where a redirect may go: a path inside the portal, or the portal's own absolute address made
    /// relative. Anything else (another site, <c>//host</c>, <c>/\host</c>, <c>javascript:</c>, text that is no
    /// URL) becomes the dashboard, so a crafted ReturnUrl can neither leave the site nor break the sign-in.
    /// </summary>
    public static string LocalTarget(string? uri, string baseUri)
    {
        if (string.IsNullOrWhiteSpace(uri)) return "";
        if (uri.StartsWith(baseUri, StringComparison.OrdinalIgnoreCase))
            uri = uri[baseUri.Length..];
        else if (uri.StartsWith('/'))
            uri = uri[1..];
        // What is left must be a relative path: no scheme, no host, no backslash or control character
        // (browsers read '\' as '/', so "/\\evil.example" is another host).
        if (uri.StartsWith('/') || uri.Any(c => c == '\\' || char.IsControl(c)))
            return "";
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        var firstDelimiter = uri.IndexOfAny(['/', '?', '#']);
        if (colon >= 0 && (firstDelimiter < 0 || colon < firstDelimiter))
            return "";
        return Uri.IsWellFormedUriString(uri, UriKind.Relative) || Uri.TryCreate(uri, UriKind.Relative, out _) ? uri : "";
    }

    public void RedirectTo(string uri, Dictionary<string, object?> queryParameters)
    {
        var uriWithoutQuery = navigationManager.ToAbsoluteUri(uri).GetLeftPart(UriPartial.Path);
        var newUri = navigationManager.GetUriWithQueryParameters(uriWithoutQuery, queryParameters);
        RedirectTo(newUri);
    }

    public void RedirectToWithStatus(string uri, string message, HttpContext context)
    {
        context.Response.Cookies.Append(StatusCookieName, message, StatusCookieBuilder.Build(context));
        RedirectTo(uri);
    }

    private string CurrentPath => navigationManager.ToAbsoluteUri(navigationManager.Uri).GetLeftPart(UriPartial.Path);

    public void RedirectToCurrentPage() => RedirectTo(CurrentPath);

    public void RedirectToCurrentPageWithStatus(string message, HttpContext context)
        => RedirectToWithStatus(CurrentPath, message, context);

    public void RedirectToInvalidUser(UserManager<PortalUser> userManager, HttpContext context)
        => RedirectToWithStatus("Account/InvalidUser", $"Error: Unable to load user with ID '{userManager.GetUserId(context.User)}'.", context);
}
