using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Webhooks;

/// <summary>HTTP Basic parsing and a constant-time comparison against configured credentials.</summary>
public static class BasicCredentials
{
    public static bool Match(string? authorizationHeader, WebhookCredentials expected)
    {
        if (!expected.IsConfigured || string.IsNullOrEmpty(authorizationHeader)) return false;
        if (!AuthenticationHeaderValue.TryParse(authorizationHeader, out var header)
            || !"Basic".Equals(header.Scheme, StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrEmpty(header.Parameter))
            return false;

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0) return false;
        // Compare both parts whatever the first gives, in constant time, so timing tells nothing.
        var userOk = FixedTimeEquals(decoded[..colon], expected.Username!);
        var passwordOk = FixedTimeEquals(decoded[(colon + 1)..], expected.Password!);
        return userOk & passwordOk;
    }

    public static string Header(string username, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));

    private static bool FixedTimeEquals(string actual, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(actual)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
