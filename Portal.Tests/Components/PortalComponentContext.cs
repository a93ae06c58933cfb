using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;
using Portal.Components.Shared;

namespace Portal.Tests.Components;

/// <summary>
/// A bunit context set up as the portal runs its components: MudBlazor's services, JavaScript calls
/// answered loosely (MudBlazor measures elements and focuses inputs), the browser's zone fixed to UTC,
/// and a signed-in user with the given roles.
/// </summary>
internal sealed class PortalComponentContext : BunitContext
{
    public PortalComponentContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        JSInterop.Setup<string>("portal.timeZone").SetResult("UTC");
        Services.AddMudServices();
        Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Services.AddScoped<BrowserTimeZone>();
        Authorization = AddAuthorization();
    }

    public BunitAuthorizationContext Authorization { get; }

    /// <summary>Signs in <paramref name="name"/> (id <paramref name="id"/>) with <paramref name="roles"/>.</summary>
    public void SignIn(string name, string id, params string[] roles)
    {
        Authorization.SetAuthorized(name);
        Authorization.SetRoles(roles);
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, id));
    }

    /// <summary>Renders the providers a page's dialogs and menus need, as MainLayout does.</summary>
    public IRenderedComponent<MudDialogProvider> RenderProviders()
    {
        Render<MudPopoverProvider>();
        return Render<MudDialogProvider>();
    }

    public static ClaimsPrincipal User(string name, params string[] roles) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], authenticationType: "test"));

    public static ClaimsPrincipal Anonymous { get; } = new(new ClaimsIdentity());
}
