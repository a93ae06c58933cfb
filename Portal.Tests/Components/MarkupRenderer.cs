using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.JSInterop;
using Radzen;

namespace Portal.Tests.Components;

/// <summary>
/// Renders components to HTML with the framework's <see cref="HtmlRenderer"/> (bunit does not run
/// on .NET 9 here). Static rendering only: no JS, no after-render callbacks.
/// </summary>
internal sealed class MarkupRenderer : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly HtmlRenderer _renderer;

    public MarkupRenderer(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<IJSRuntime, NoJavaScript>();
        services.AddSingleton<NavigationManager, FixedNavigationManager>();
        services.AddAuthorizationCore();
        services.AddRadzenComponents();
        configure?.Invoke(services);
        _services = services.BuildServiceProvider();
        _renderer = new HtmlRenderer(_services, NullLoggerFactory.Instance);
    }

    public Task<string> RenderAsync<TComponent>(IDictionary<string, object?>? parameters = null) where TComponent : IComponent =>
        _renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await _renderer.RenderComponentAsync<TComponent>(
                parameters is null ? ParameterView.Empty : ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });

    /// <summary>Renders <typeparamref name="TComponent"/> for a signed-in (or anonymous) user.</summary>
    public Task<string> RenderAsAsync<TComponent>(ClaimsPrincipal user) where TComponent : IComponent
    {
        RenderFragment child = b =>
        {
            b.OpenComponent<TComponent>(0);
            b.CloseComponent();
        };
        return RenderAsync<CascadingValue<Task<AuthenticationState>>>(new Dictionary<string, object?>
        {
            ["Value"] = Task.FromResult(new AuthenticationState(user)),
            ["ChildContent"] = child,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _renderer.DisposeAsync();
        await _services.DisposeAsync();
    }

    public static ClaimsPrincipal User(string name, params string[] roles) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], authenticationType: "test"));

    public static ClaimsPrincipal Anonymous { get; } = new(new ClaimsIdentity());

    private sealed class NoJavaScript : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            throw new InvalidOperationException("No JavaScript while rendering static markup: " + identifier);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            InvokeAsync<TValue>(identifier, args);
    }

    private sealed class FixedNavigationManager : NavigationManager
    {
        public FixedNavigationManager() => Initialize("http://localhost/", "http://localhost/");

        protected override void NavigateToCore(string uri, NavigationOptions options) =>
            throw new InvalidOperationException("No navigation while rendering static markup.");
    }
}
