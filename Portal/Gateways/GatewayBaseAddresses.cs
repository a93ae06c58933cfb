using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Portal.Sandbox;

namespace Portal.Gateways;

/// <summary>
/// Where each gateway lives: its configured BaseUrl, or, when that is empty and the sandbox is
/// on, this portal's own sandbox routes on the address the server actually listens on. The
/// address is read lazily from <see cref="IServerAddressesFeature"/> (so <c>--urls</c> and tests
/// on random ports work), preferring plain http, with wildcard hosts mapped to 127.0.0.1.
/// </summary>
public sealed class GatewayBaseAddresses(IServer server, IOptions<SandboxOptions> sandbox)
{
    private Uri? _portal;

    /// <summary>The base address of a gateway's API, always ending in '/'.</summary>
    public Uri For(GatewayHttpOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.BaseUrl))
            return WithTrailingSlash(new Uri(options.BaseUrl, UriKind.Absolute));
        if (!sandbox.Value.Enabled)
            throw new InvalidOperationException($"{options.SectionPath}:BaseUrl is empty and the sandbox is off (Sandbox:Enabled is false).");
        return new Uri(PortalAddress(), options.SandboxPath);
    }

    /// <summary>This portal's own address (ending in '/'), as the running server listens on it.</summary>
    public Uri PortalAddress()
    {
        if (_portal is not null)
            return _portal;
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        var chosen = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? addresses?.FirstOrDefault();
        if (chosen is null)
            throw new InvalidOperationException(
                "The portal is not listening on any address yet (or runs in an in-memory test server), so the sandbox cannot be reached; " +
                "set the gateway's BaseUrl or call the gateways from a host that listens on a real port.");
        _portal = WithTrailingSlash(new Uri(LoopbackFor(chosen), UriKind.Absolute));
        return _portal;
    }

    /// <summary>Maps Kestrel's wildcard hosts (0.0.0.0, [::], +, *) to 127.0.0.1 so the address can be called.</summary>
    internal static string LoopbackFor(string address)
    {
        var schemeEnd = address.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
            return address;
        var hostStart = schemeEnd + 3;
        var rest = address[hostStart..];
        string host;
        string tail;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            host = rest[..(close + 1)];
            tail = rest[(close + 1)..];
        }
        else
        {
            var end = rest.IndexOfAny([':', '/']);
            host = end < 0 ? rest : rest[..end];
            tail = end < 0 ? "" : rest[end..];
        }
        return host is "0.0.0.0" or "[::]" or "+" or "*"
            ? address[..hostStart] + "127.0.0.1" + tail
            : address;
    }

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
