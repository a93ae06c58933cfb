using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Portal.Tests.Security;

/// <summary>
/// A browser's cookie jar kept by hand over the in-memory portal, so a test can copy a session's
/// cookies to another "browser" (as an attacker who stole them would) and see which one the
/// server still accepts.
/// </summary>
internal sealed partial class CookieSession : IDisposable
{
    private readonly HttpClient _client;
    private readonly Dictionary<string, string> _cookies;

    private CookieSession(HttpClient client, Dictionary<string, string> cookies)
    {
        _client = client;
        _cookies = cookies;
    }

    public static CookieSession New(WebApplicationFactory<Program> app, string baseAddress = "http://localhost/") =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri(baseAddress) }),
            new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>The same cookies in a second jar (a stolen copy).</summary>
    public CookieSession Copy(WebApplicationFactory<Program> app) =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = _client.BaseAddress! }),
            new Dictionary<string, string>(_cookies, StringComparer.Ordinal));

    public bool HasAuthCookie => _cookies.ContainsKey("portal.auth");

    /// <summary>Every Set-Cookie header seen, raw (to check their flags).</summary>
    public List<string> SetCookieHeaders { get; } = [];

    public Task<HttpResponseMessage> GetAsync(string url) => SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (_cookies.Count > 0)
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await _client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            foreach (var header in values)
            {
                SetCookieHeaders.Add(header);
                var pair = header.Split(';', 2)[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = (pair[..eq].Trim(), pair[(eq + 1)..].Trim());
                if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) _cookies.Remove(name);
                else _cookies[name] = value;
            }
        }
        return response;
    }

    /// <summary>Fills and posts the real sign-in form (at <paramref name="loginUrl"/>, which may carry a ReturnUrl).</summary>
    public async Task<HttpResponseMessage> SignInAsync(string email, string password, string loginUrl = "/Account/Login")
    {
        var page = await (await GetAsync(loginUrl)).Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(page),
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        };
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, loginUrl) { Content = new FormUrlEncodedContent(form) });
    }

    /// <summary>Presses "Sign out" (the form in the layout, antiforgery token included).</summary>
    public async Task<HttpResponseMessage> SignOutAsync()
    {
        var page = await (await GetAsync("/refunds")).Content.ReadAsStringAsync();
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = Token(page) };
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/Account/Logout") { Content = new FormUrlEncodedContent(form) });
    }

    private static string Token(string html)
    {
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, "The page has no antiforgery token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
