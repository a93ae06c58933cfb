using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Components;
using Portal.Components.Account;
using Portal.Configuration;
using Portal.DemoData;
using Portal.Domain.Audit;
using Portal.Gateways;
using Portal.Jobs;
using Portal.Payments;
using Portal.Webhooks;
using Portal.Persistence;
using Portal.Refunds;
using Portal.Recurring;
using Portal.Phone;
using Portal.Sandbox;
using MudBlazor;
using MudBlazor.Services;
using Radzen;

if (PortalCommands.IsCommand(args)) { Environment.ExitCode = await PortalCommands.RunAsync(args); return; }
if (Portal.Bench.BenchCommand.IsRequested(args)) { Environment.ExitCode = await Portal.Bench.BenchCommand.RunAsync(args); return; }

var builder = WebApplication.CreateBuilder(args);

// ---- configuration, validated at start-up ----
builder.Services.AddOptions<PortalOptions>()
    .Bind(builder.Configuration.GetSection(PortalOptions.Section))
    .ValidateDataAnnotations()
    .ValidateOnStart();
var portalOptions = builder.Configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
var paths = new PortalPaths(builder.Environment.ContentRootPath, portalOptions);
paths.EnsureCreated();
builder.Services.AddSingleton(paths);
builder.Services.AddSingleton(TimeProvider.System);

// ---- persistence ----
builder.Services.AddSingleton<AuditTrail>();
builder.Services.AddSingleton<AppendOnlyAuditInterceptor>();
builder.Services.AddSingleton<SqliteConnectionInterceptor>();
builder.Services.AddDbContextFactory<PortalDbContext>((sp, options) => options
    .UseSqlite(paths.ConnectionString)
    .AddInterceptors(sp.GetRequiredService<SqliteConnectionInterceptor>(), sp.GetRequiredService<AppendOnlyAuditInterceptor>())
    // Migrations are hand-written without a model snapshot; MigrationSchemaTests prove they match the model.
    .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning)));
builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());
builder.Services.AddSingleton<IDbContextFactory<DbContext>, DomainDbContextFactory>();
builder.Services.AddSingleton<DatabaseInitializer>();
builder.Services.AddSingleton<Portal.Domain.Payments.ICardTokenProtector, DataProtectionCardTokenProtector>();
builder.Services.AddDataProtection()
    .SetApplicationName("merchant-portal")
    .PersistKeysToFileSystem(new DirectoryInfo(paths.KeysDirectory))
    .ProtectKeysWithConfiguredCertificate(portalOptions.DataProtection, builder.Environment.ContentRootPath);
builder.Services.AddDemoData(builder.Configuration);
builder.Services.AddHealthChecks()
    // SQLite's CanConnect only checks that the file exists: read a real table so a corrupt or unreadable file is reported.
    .AddDbContextCheck<PortalDbContext>("database", tags: ["ready"], customTestQuery: async (db, ct) => await db.Roles.CountAsync(ct) >= 0);

// ---- webhooks ----
builder.Services.AddWebhooks(builder.Configuration);
builder.Services.AddPhonePayments();
builder.Services.AddRefunds(builder.Configuration);
builder.Services.AddPaymentPages();
builder.Services.AddRecurring(builder.Configuration);

// ---- background jobs ----
builder.Services.AddPortalJobs(builder.Configuration, paths);
builder.Services.AddTransient<Portal.Domain.Polling.TransactionStatusPoller>();
builder.Services.AddVoucherlySync(builder.Configuration);

// ---- identity ----
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddScoped<IdentityRedirectManager>();
builder.Services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
builder.Services.AddAuthentication(options =>
    {
        options.DefaultScheme = IdentityConstants.ApplicationScheme;
        options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
    })
    .AddIdentityCookies();
builder.Services.ConfigureApplicationCookie(options =>
{
    options.LoginPath = "/Account/Login";
    options.AccessDeniedPath = "/Account/AccessDenied";
    options.Cookie.Name = "portal.auth";
    options.Cookie.HttpOnly = true;
    options.Cookie.SameSite = SameSiteMode.Lax;
    options.ExpireTimeSpan = TimeSpan.FromHours(10);
    options.SlidingExpiration = true;
});
builder.Services.AddIdentityCore<PortalUser>(options =>
    {
        options.SignIn.RequireConfirmedAccount = false;
        options.User.RequireUniqueEmail = true;
        options.Password.RequiredLength = 12;
        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
    })
    .AddRoles<IdentityRole>()
    .AddEntityFrameworkStores<PortalDbContext>()
    .AddSignInManager<Portal.Users.AuditedSignInManager>()
    .AddDefaultTokenProviders();
builder.Services.AddAuthorization(options =>
{
    // Every endpoint and page requires sign-in unless it says otherwise.
    options.FallbackPolicy = options.DefaultPolicy;
});

// ---- gateways (and the sandbox that plays them on loopback) ----
builder.AddGateways();

// ---- UI ----
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();
builder.Services.AddRadzenComponents();
builder.Services.AddMudServices(options =>
{
    options.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight;
    options.SnackbarConfiguration.PreventDuplicates = false;
    options.SnackbarConfiguration.VisibleStateDuration = 6000;
    options.SnackbarConfiguration.ShowCloseIcon = true;
});
builder.Services.AddScoped<Portal.Components.Shared.BrowserTimeZone>();
builder.Services.AddSingleton<Portal.Dashboard.DashboardQueries>();
builder.Services.AddSingleton<Portal.Users.UserAdministration>();
builder.Services.AddScoped<Portal.Users.OwnAccountChanges>();
builder.Services.AddSingleton<Portal.Users.UserQueries>();
builder.Services.AddSingleton<Portal.Audit.AuditQueries>();

var app = builder.Build();

await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
await app.Services.GetRequiredService<DemoDataSeeder>().SeedIfEmptyAsync();
await app.Services.GetRequiredService<DemoRecurringSeeder>().SeedIfEmptyAsync();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
}
app.UseStatusCodePagesWithReExecute("/not-found");

app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
app.MapWebhooks();
app.MapSandbox();
app.MapRefunds();
app.MapPaymentExports();
app.MapRecurring();
app.MapJobsDashboard();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();
app.MapAdditionalIdentityEndpoints();

app.Lifetime.ApplicationStarted.Register(() =>
{
    var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
    app.Logger.LogInformation("Merchant portal ready at {Urls}; data folder {DataDirectory}", string.Join(", ", addresses), paths.DataDirectory);
    // Only the published demo password is ever printed; a real one stays out of the logs.
    if (app.Environment.IsDevelopment() && portalOptions.Admin is { Email: { } demoEmail, Password: DatabaseInitializer.DemoAdminPassword })
        app.Logger.LogInformation("Demo sign-in: {AdminEmail} / {DemoPassword}", demoEmail, DatabaseInitializer.DemoAdminPassword);
});
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
