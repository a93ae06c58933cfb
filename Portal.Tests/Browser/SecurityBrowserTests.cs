using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Persistence;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Domain.Refunds.RefundTestData;

namespace Portal.Tests.Browser;

/// <summary>Every page works under the Content-Security-Policy: no violation reported, and the live pages are interactive.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SecurityBrowserTests(BrowserFixture fixture)
{
    private const string Collector =
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));";

    private static readonly string[] LivePages =
        ["/", "/payments", "/transactions", "/refunds", "/phone-payments", "/jobs", "/webhooks", "/audit", "/users"];

    private static readonly string[] StaticPages =
        ["/Account/Manage", "/Account/Manage/ChangePassword", "/Account/Manage/TwoFactorAuthentication", "/Account/Manage/EnableAuthenticator", "/hangfire"];

    [Fact]
    public async Task EveryPage_AdminUnderTheCsp_NoViolationAndInteractive()
    {
        var (paymentId, transactionId) = await SeedConfirmedAsync(fixture.Server.LiveServices.GetRequiredService<IDbContextFactory<PortalDbContext>>(),
            5_000, DateTime.UtcNow.AddMinutes(-5));
        var page = await fixture.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.Contains("Content-Security-Policy", StringComparison.OrdinalIgnoreCase))
                console.Add(message.Text);
        };
        await page.AddInitScriptAsync(Collector);
        var violations = new List<string>();
        async Task CollectAsync(string where) =>
            violations.AddRange((await page.EvaluateAsync<string[]>("() => window.__csp || []")).Select(v => where + ": " + v));

        await page.GotoAsync("/Account/Login");
        await CollectAsync("/Account/Login");
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);

        foreach (var url in LivePages.Append($"/payments/{paymentId}"))
        {
            await BrowserFixture.OpenAsync(page, url);
            await Assertions.Expect(page.Locator("h1").First).ToBeVisibleAsync();
            await CollectAsync(url);
        }

        // Interactive under the policy: a MudBlazor dialog opens over the circuit, the theme switch works.
        await page.ClickAsync($"[data-testid=refund-open-{transactionId}]");
        await Assertions.Expect(page.Locator("[data-testid=refund-figures]")).ToBeVisibleAsync();
        await CollectAsync("refund dialog");
        await BrowserFixture.OpenAsync(page, "/");
        var layout = page.Locator(".portal-layout");
        var before = await layout.GetAttributeAsync("data-theme");
        await page.ClickAsync("[data-testid=theme-switch]");
        await Assertions.Expect(layout).Not.ToHaveAttributeAsync("data-theme", before!);
        await page.ClickAsync("[data-testid=theme-switch]");
        await Assertions.Expect(layout).ToHaveAttributeAsync("data-theme", before!);
        await CollectAsync("theme switch");

        foreach (var url in StaticPages)
        {
            var response = await page.GotoAsync(url);
            Assert.True(response is { Ok: true }, $"{url} answered {response?.Status}");
            await CollectAsync(url);
        }

        Assert.Empty(violations);
        Assert.Empty(console);
    }

    [Fact]
    public async Task InlineScript_InjectedIntoAPage_IsBlockedAndReported()
    {
        var page = await fixture.NewPageAsync();
        await page.AddInitScriptAsync(Collector);
        await page.GotoAsync("/Account/Login");

        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.__inlineRan = true;'; document.body.appendChild(s); }");
        await page.WaitForFunctionAsync("() => window.__csp.length > 0");

        Assert.Null(await page.EvaluateAsync<bool?>("() => window.__inlineRan ?? null"));
        Assert.Contains(await page.EvaluateAsync<string[]>("() => window.__csp"), v => v.StartsWith("script-src", StringComparison.Ordinal));
    }
}
