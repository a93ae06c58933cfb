using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Persistence;

namespace Portal.Tests.Infrastructure;

/// <summary>Extra people for role tests, and a cookie-authenticated HttpClient signed in through the real login form.</summary>
public static partial class TestUsers
{
    public const string StaffEmail = "staff@portal.local";
    public const string StaffPassword = "Staff-User-2026!";

    /// <summary>Creates the user with exactly these roles unless they already exist.</summary>
    public static async Task EnsureUserAsync(IServiceProvider services, string email, string password, params string[] roles)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        if (await users.FindByEmailAsync(email) is not null) return;
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email, CreatedAtUtc = DateTime.UtcNow };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded && await users.FindByEmailAsync(email) is null)
            throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        if (created.Succeeded) await users.AddToRolesAsync(user, roles);
    }

    /// <summary>A new user with a unique email starting with <paramref name="prefix"/>, lockout enabled, in <paramref name="role"/>.</summary>
    public static async Task<PortalUser> CreateUniqueAsync(IServiceProvider services, string prefix, string password, string role)
    {
        var email = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)] + "@shop.test";
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = prefix, LockoutEnabled = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded) throw new InvalidOperationException(string.Join("; ", added.Errors.Select(e => e.Description)));
        return user;
    }

    /// <summary>A client on the loopback server whose cookie jar holds a sign-in made through <c>/Account/Login</c>.</summary>
    public static async Task<HttpClient> SignedInClientAsync(Uri baseAddress, string email, string password)
    {
        var client = CookieClient(baseAddress);
        var response = await PostLoginAsync(client, email, password);
        if (!IsRedirect(response))
            throw new InvalidOperationException($"Sign-in as {email} answered {(int)response.StatusCode}.");
        return client;
    }

    /// <summary>A client with its own cookie jar that does not follow redirects.</summary>
    public static HttpClient CookieClient(Uri baseAddress) =>
        new(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    /// <summary>Fills and posts the real sign-in form: a redirect when it signed in, 200 with the form's error otherwise.</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync("/Account/Login");
        var token = AntiforgeryField().Match(page);
        if (!token.Success) throw new InvalidOperationException("The login page has no antiforgery token.");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        return await client.PostAsync("/Account/Login", form);
    }

    public static bool IsRedirect(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
