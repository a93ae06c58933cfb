using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Audit;
using Portal.Components.Shared;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Users;
using Radzen;
using Radzen.Blazor;

namespace Portal.Components.Pages.Users;

public sealed partial class UsersPage
{
    private RadzenDataGrid<UserRow>? grid;
    private IReadOnlyList<UserRow>? rows; // null until loaded: Radzen calls LoadData only while Data is null
    private int total;
    private bool loading;
    private bool busy;
    private string? search;
    private string? actorId;
    private string actorName = "";
    private TimeZoneInfo? zone;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject] private UserQueries Queries { get; set; } = default!;
    [Inject] private UserAdministration Administration { get; set; } = default!;
    [Inject] private DialogService Dialogs { get; set; } = default!;
    [Inject] private NotificationService Notifications { get; set; } = default!;
    [Inject] private BrowserTimeZone BrowserTimeZone { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private ILogger<UsersPage> Logger { get; set; } = default!;

    private DateTimeOffset Now => Clock.GetUtcNow();

    private Actor Actor => Actor.User(actorId ?? "", actorName);

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        actorId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        actorName = user.Identity?.Name ?? "";
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
            return;
        // Times are shown in the browser's zone, known only once the circuit is up.
        zone = await BrowserTimeZone.GetAsync();
        StateHasChanged();
    }

    private async Task LoadAsync(LoadDataArgs args)
    {
        loading = true;
        try
        {
            var sort = args.Sorts?.FirstOrDefault(s => s.SortOrder is not null);
            var request = new UserListRequest(search, args.Skip ?? 0, args.Top ?? 25,
                sort?.Property switch
                {
                    nameof(UserRow.DisplayName) => UserSort.DisplayName,
                    nameof(UserRow.CreatedAtUtc) => UserSort.Created,
                    _ => UserSort.Email,
                },
                sort?.SortOrder == SortOrder.Descending);
            var list = await Queries.ListAsync(request);
            rows = list.Rows;
            total = list.Total;
        }
        finally
        {
            loading = false;
        }
    }

    private async Task SearchAsync()
    {
        if (grid is not null)
            await grid.FirstPage(true);
    }

    private async Task CreateAsync()
    {
        var created = await Dialogs.OpenAsync<CreateUserDialog>("New user",
            new Dictionary<string, object?> { [nameof(CreateUserDialog.Actor)] = Actor },
            new DialogOptions { Width = "520px", CloseDialogOnEsc = true });
        if (created is string email)
        {
            Notifications.Notify(NotificationSeverity.Success, "User created", $"{email} can now sign in.");
            await ReloadAsync();
        }
    }

    private async Task EditRolesAsync(UserRow user)
    {
        var saved = await Dialogs.OpenAsync<EditRolesDialog>("Roles of " + user.Email,
            new Dictionary<string, object?> { [nameof(EditRolesDialog.Actor)] = Actor, [nameof(EditRolesDialog.User)] = user },
            new DialogOptions { Width = "480px", CloseDialogOnEsc = true });
        if (saved is true)
        {
            Notifications.Notify(NotificationSeverity.Success, "Roles saved", user.Email);
            await ReloadAsync();
        }
    }

    private async Task ResetPasswordAsync(UserRow user)
    {
        var saved = await Dialogs.OpenAsync<ResetPasswordDialog>("Reset password",
            new Dictionary<string, object?> { [nameof(ResetPasswordDialog.Actor)] = Actor, [nameof(ResetPasswordDialog.User)] = user },
            new DialogOptions { Width = "480px", CloseDialogOnEsc = true });
        if (saved is true)
            Notifications.Notify(NotificationSeverity.Success, "Password reset", $"Give {user.Email} the new password; their open sessions end.");
    }

    private async Task LockAsync(UserRow user)
    {
        var confirmed = await Dialogs.Confirm(
            $"{user.Email} will not be able to sign in until an admin unlocks the account, and open sessions end.",
            "Lock " + user.Email + "?",
            new ConfirmOptions { OkButtonText = "Lock", CancelButtonText = "Cancel" });
        if (confirmed is true)
            await RunAsync(() => Administration.LockAsync(Actor, user.Id), "Account locked", user.Email);
    }

    private Task UnlockAsync(UserRow user) =>
        RunAsync(() => Administration.UnlockAsync(Actor, user.Id), "Account unlocked", user.Email);

    /// <summary>One write at a time from this page: buttons are disabled while it runs.</summary>
    private async Task RunAsync(Func<Task<UserAdminResult>> action, string successTitle, string detail)
    {
        if (busy)
            return;
        busy = true;
        try
        {
            var result = await action();
            if (result.Succeeded)
                Notifications.Notify(NotificationSeverity.Success, successTitle, detail);
            else
                Notifications.Notify(new NotificationMessage { Severity = NotificationSeverity.Error, Summary = "Not done", Detail = result.ErrorSummary, Duration = 10_000 });
            await ReloadAsync();
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "User administration failed");
            Notifications.Notify(NotificationSeverity.Error, "Something went wrong", "The change was not saved. The error was logged.");
        }
        finally
        {
            busy = false;
        }
    }

    private async Task ReloadAsync()
    {
        if (grid is not null)
            await grid.Reload();
    }

    private string Local(DateTime utc) => zone is null
        ? utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC"
        : BrowserTimeZone.ToLocal(utc, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static BadgeStyle RoleStyle(string role) => role switch
    {
        Roles.Admin => BadgeStyle.Danger,
        Roles.Finance => BadgeStyle.Info,
        _ => BadgeStyle.Secondary,
    };
}
