using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Sandbox;

/// <summary>The sandbox checks credentials like the real gateways: HTTP Basic (eComCharge) or a bearer API key (Voucherly, VCC).</summary>
internal static class SandboxAuth
{
    public static bool HasBasic(HttpRequest request, string user, string password)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
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
        return SameSecret(decoded, $"{user}:{password}");
    }

    public static bool HasBearer(HttpRequest request, string apiKey)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            || !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
            return false;
        return SameSecret(header.Parameter, apiKey);
    }

    public static IResult Unauthorized(HttpContext context, string scheme, string realm)
    {
        context.Response.Headers.WWWAuthenticate = $"{scheme} realm=\"{realm}\"";
        return Results.Json(new { message = "Unauthorized: missing or wrong credentials." }, statusCode: StatusCodes.Status401Unauthorized);
    }

    private static bool SameSecret(string given, string expected) =>
        !string.IsNullOrEmpty(expected)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
