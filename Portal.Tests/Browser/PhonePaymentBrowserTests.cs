using Microsoft.Playwright;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class PhonePaymentBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task PhonePayment_CallerPaysInSecureForm_PageShowsPaidWithoutReload()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await BrowserFixture.OpenAsync(page, "/phone-payments");

        await page.FillAsync("input[data-testid=phone-amount]", "12.40");
        await page.FillAsync("[data-testid=phone-first]", "John");
        await page.FillAsync("[data-testid=phone-last]", "Smith");
        await page.FillAsync("[data-testid=phone-email]", "john@example.test");
        await page.ClickAsync("[data-testid=phone-start]");
        await page.WaitForSelectorAsync("[data-testid=phone-session]");
        await Assertions.Expect(page.Locator("[data-testid=phone-status]")).ToContainTextAsync("Waiting");
        await BrowserFixture.ScreenshotAsync(page, "phone-payment-waiting");

        var popup = await page.Context.RunAndWaitForPageAsync(() => page.ClickAsync("[data-testid=phone-open]"));
        await popup.WaitForLoadStateAsync();
        await popup.ClickAsync("[data-test=pay]");
        await Assertions.Expect(popup.Locator("[data-test=outcome]")).ToContainTextAsync("answered HTTP 200");

        // The first tab was not reloaded: the live update came over the circuit.
        await Assertions.Expect(page.Locator("[data-testid=phone-status]")).ToContainTextAsync("Paid", new() { Timeout = 15_000 });
        await BrowserFixture.ScreenshotAsync(page, "phone-payment-paid");
        await page.ClickAsync("[data-testid=phone-payment-link]");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/payments/pay_"));
    }

    [Fact]
    public async Task PhonePayment_AmountWithTooManyDecimals_ShowsErrorInForm()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await BrowserFixture.OpenAsync(page, "/phone-payments");
        await page.FillAsync("input[data-testid=phone-amount]", "12.345");
        await page.FillAsync("[data-testid=phone-first]", "Ann");
        await page.ClickAsync("[data-testid=phone-start]");

        await Assertions.Expect(page.Locator("[data-testid=phone-error]")).ToContainTextAsync("EUR");
        await Assertions.Expect(page.Locator("[data-testid=phone-session]")).ToHaveCountAsync(0);
    }
}
