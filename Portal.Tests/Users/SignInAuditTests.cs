using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Persistence;
using Portal.Tests.Infrastructure;
using Portal.Users;

namespace Portal.Tests.Users;

/// <summary>One portal on a loopback port for the sign-in audit tests (real form posts, real client addresses).</summary>
public sealed class SignInAuditServer : IDisposable
{
    public SignInAuditServer()
    {
        Server = new PortalServer();
        Server.Settings["Jobs:Enabled"] = "false";
        Server.ConfigureTestServices = services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
        Server.EnsureStarted();
    }

    public PortalServer Server { get; }

    public Portal.Tests.Gateways.CollectingLoggerProvider Logs { get; } = new();

    public void Dispose() => Server.Dispose();
}

/// <summary>
/// Every sign-in outcome through the real sign-in form lands in the audit log (who, what, from
/// where), and no password ever does.
/// </summary>
public sealed partial class SignInAuditTests(SignInAuditServer fixture) : IClassFixture<SignInAuditServer>
{
    private const string Password = "Sign-In-Audit-Passw0rd!";

    private PortalServer Server => fixture.Server;

    [Fact]
    public async Task RightPassword_SignedInEntryWithTheUserAndTheAddress()
    {
        var user = await CreateStaffAsync();

        using var client = await TestUsers.SignedInClientAsync(Server.BaseAddress, user.Email!, Password);

        var entry = Assert.Single(await AuditOfAsync(user.Id));
        Assert.Equal((AuditedSignInManager.Actions.SignedIn, user.Id, user.Email, "ui", "user"),
            (entry.Action, entry.ActorId, entry.ActorName, entry.Origin, entry.ResourceType));
        Assert.Equal("Signed in with their password from 127.0.0.1.", entry.Details);
    }

    [Fact]
    public async Task WrongPasswords_EachRefusalAuditedWithAttemptsLeft_TheFifthLocksTheAccount_LaterAttemptsOnlyLogged()
    {
        var user = await CreateStaffAsync();
        using var client = TestUsers.CookieClient(Server.BaseAddress);

        for (var i = 0; i < 4; i++)
            Assert.False(TestUsers.IsRedirect(await TestUsers.PostLoginAsync(client, user.Email!, "Wrong-Passw0rd-" + i)));
        var fifth = await TestUsers.PostLoginAsync(client, user.Email!, "Wrong-Passw0rd-4");
        Assert.Contains("Lockout", fifth.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        // Locked: even the right password is refused now; that and further attempts are logged, not audited.
        for (var i = 0; i < 3; i++) await TestUsers.PostLoginAsync(client, user.Email!, Password);

        var entries = await AuditOfAsync(user.Id);
        Assert.Equal(
        [
            AuditedSignInManager.Actions.SignInFailed, AuditedSignInManager.Actions.SignInFailed, AuditedSignInManager.Actions.SignInFailed,
            AuditedSignInManager.Actions.SignInFailed, AuditedSignInManager.Actions.LockedOut,
        ], entries.Select(e => e.Action));
        Assert.Equal("Sign-in with their password refused from 127.0.0.1: wrong credentials; 4 attempt(s) left before lockout.", entries[0].Details);
        Assert.Contains("1 attempt(s) left", entries[3].Details, StringComparison.Ordinal);
        Assert.Matches(LockedUntil(), entries[4].Details);
        Assert.All(entries, e => Assert.DoesNotContain("Passw0rd", e.Details + e.After + e.Before, StringComparison.Ordinal));
        Assert.Equal(3, fixture.Logs.Lines.Count(l => l.Contains($"locked account {user.Id} refused from 127.0.0.1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task UnknownEmail_OnlyLogged_NothingInTheAuditTable_AndTheFormSaysNothingMore()
    {
        var email = $"nobody-{Guid.NewGuid():N}"[..20] + "@shop.test";
        using var client = TestUsers.CookieClient(Server.BaseAddress);
        await using (var db = Db())
        {
            var before = await db.Set<AuditEntry>().CountAsync();

            var response = await TestUsers.PostLoginAsync(client, email, "Some-Passw0rd-Guess!");
            var typedPassword = await TestUsers.PostLoginAsync(client, "<Some-Passw0rd> @Guess", "x");

            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (response.StatusCode, typedPassword.StatusCode));
            Assert.Contains("The email or password is not right", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(before, await db.Set<AuditEntry>().CountAsync());
        }
        Assert.Contains(fixture.Logs.Lines, l => l.Contains($"Sign-in refused for {email}, which is no account, from 127.0.0.1", StringComparison.Ordinal));
        // Something that is not exactly an email (a password typed in the wrong box, say) is not logged as typed.
        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Contains("Some-Passw0rd", StringComparison.Ordinal));
        Assert.Contains(fixture.Logs.Lines, l => l.Contains("Sign-in refused for (not an email address)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignOut_SignedOutEntryForTheUser()
    {
        var user = await CreateStaffAsync();
        using var client = await TestUsers.SignedInClientAsync(Server.BaseAddress, user.Email!, Password);
        var home = await client.GetStringAsync("/");
        var token = Antiforgery().Match(home);
        Assert.True(token.Success, "the shell has no sign-out form");

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value) });
        var response = await client.PostAsync("/Account/Logout", form);

        Assert.True(TestUsers.IsRedirect(response), $"sign-out answered {(int)response.StatusCode}");
        Assert.Equal([AuditedSignInManager.Actions.SignedIn, AuditedSignInManager.Actions.SignedOut], (await AuditOfAsync(user.Id)).Select(e => e.Action));
    }

    private PortalDbContext Db() => Server.LiveServices.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    private async Task<List<AuditEntry>> AuditOfAsync(string userId)
    {
        await using var db = Db();
        return await db.Set<AuditEntry>().Where(e => e.ResourceId == userId).OrderBy(e => e.Id).ToListAsync();
    }

    private Task<PortalUser> CreateStaffAsync() => TestUsers.CreateUniqueAsync(Server.LiveServices, "signin", Password, Roles.Staff);

    [GeneratedRegex(@"^Sign-in with their password refused from 127\.0\.0\.1: too many failed attempts; the account is locked until \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$")]
    private static partial Regex LockedUntil();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
