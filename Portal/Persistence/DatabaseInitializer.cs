using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Domain.Audit;
using Portal.Domain.Security;

namespace Portal.Persistence;

/// <summary>
/// Start-up work, safe to run again against the same data folder (and by two hosts in one
/// process): migrate, switch to WAL, create the roles and the first admin.
/// </summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<PortalDbContext> dbFactory,
    IServiceProvider services,
    IOptions<PortalOptions> options,
    IHostEnvironment environment,
    AuditTrail audit,
    TimeProvider clock,
    ILogger<DatabaseInitializer> logger)
{
    public const string DemoAdminPassword = "Demo-Admin-2026!";

    // Two hosts in one process (the browser tests) may start against the same data folder at
    // once: initialise one at a time per database file. Across processes, EF's migration lock
    // and the re-checks below keep a second instance harmless.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        string file;
        await using (var probe = await dbFactory.CreateDbContextAsync(cancellationToken))
            file = probe.Database.GetDbConnection().DataSource ?? probe.Database.GetConnectionString() ?? "";
        var gate = Locks.GetOrAdd(Path.GetFullPath(string.IsNullOrEmpty(file) ? "." : file), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await InitializeCoreAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task InitializeCoreAsync(CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }

        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (await roles.RoleExistsAsync(role)) continue;
            var created = await roles.CreateAsync(new IdentityRole(role));
            if (!created.Succeeded && !await roles.RoleExistsAsync(role))
                throw new InvalidOperationException($"Could not create role {role}: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        await EnsureFirstAdminAsync(users, cancellationToken);
    }

    private async Task EnsureFirstAdminAsync(UserManager<PortalUser> users, CancellationToken cancellationToken)
    {
        var admin = options.Value.Admin;
        if (!environment.IsDevelopment() && !string.IsNullOrEmpty(admin.Password))
            await RequireStrongAsync(users, admin.Password);

        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
            return;

        if (string.IsNullOrWhiteSpace(admin.Email) || string.IsNullOrEmpty(admin.Password))
            throw new StartupConfigurationException(
                "No admin exists yet: set Portal:Admin:Email and Portal:Admin:Password (env Portal__Admin__Email, Portal__Admin__Password) to create the first admin.");

        var user = new PortalUser
        {
            UserName = admin.Email,
            Email = admin.Email,
            EmailConfirmed = true,
            DisplayName = "Administrator",
            LockoutEnabled = true,
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
        };
        var created = await users.CreateAsync(user, admin.Password);
        if (!created.Succeeded && (await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
            return; // another instance created the first admin meanwhile
        if (!created.Succeeded)
            throw new StartupConfigurationException(
                "Portal:Admin:Password is not accepted: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        await users.AddToRolesAsync(user, Roles.All);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        audit.Record(db, Actor.System, "user.created", "user", user.Id, after: new { user.Email, Roles = Roles.All },
            details: "first admin from configuration");
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Created the first admin {AdminEmail}", admin.Email);
    }

    private static async Task RequireStrongAsync(UserManager<PortalUser> users, string password)
    {
        var problems = new List<string>();
        if (password == DemoAdminPassword)
            problems.Add("it is the published demo password");
        if (password.Length < 12)
            problems.Add("it is shorter than 12 characters");
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, new PortalUser(), password);
            problems.AddRange(result.Errors.Select(e => e.Description));
        }

        if (problems.Count > 0)
            throw new StartupConfigurationException("Portal:Admin:Password is too weak outside Development: " + string.Join("; ", problems));
    }
}

/// <summary>A setting that stops start-up, with a message naming it.</summary>
public sealed class StartupConfigurationException(string message) : Exception(message);
