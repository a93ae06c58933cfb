using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Audit;
using Portal.Components.Shared;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Users;
using MudBlazor;

namespace Portal.Components.Pages.Users;

public sealed partial class UsersPage
{
    private static readonly DialogOptions DialogWidth = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true };

    private MudDataGrid<UserRow>? grid;
    private bool busy;
    private string? search;
    private string? actorId;
    private string actorName = "";
    private TimeZoneInfo? zone;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject] private UserQueries Queries { get; set; } = default!;
    [Inject] private UserAdministration Administration { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
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

    private async Task<GridData<UserRow>> LoadAsync(GridState<UserRow> state, CancellationToken cancellationToken)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var request = new UserListRequest(search, state.Page * state.PageSize, state.PageSize,
            sort?.SortBy switch
            {
                nameof(UserRow.DisplayName) => UserSort.DisplayName,
                nameof(UserRow.CreatedAtUtc) => UserSort.Created,
                _ => UserSort.Email,
            },
            sort?.Descending == true);
        var list = await Queries.ListAsync(request, cancellationToken);
        return new GridData<UserRow> { Items = list.Rows, TotalItems = list.Total };
    }

    private async Task SearchAsync()
    {
        if (grid is not null)
        {
            // A new search starts on the first page.
            if (grid.CurrentPage != 0)
                grid.NavigateTo(Page.First);
            await grid.ReloadServerData();
        }
    }

    private async Task CreateAsync()
    {
        var dialog = await Dialogs.ShowAsync<CreateUserDialog>("New user",
            new DialogParameters<CreateUserDialog> { { d => d.Actor, Actor } }, DialogWidth);
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: string email })
        {
            Snackbar.Add($"User created: {email} can now sign in.", Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task EditRolesAsync(UserRow user)
    {
        var dialog = await Dialogs.ShowAsync<EditRolesDialog>("Roles of " + user.Email,
            new DialogParameters<EditRolesDialog> { { d => d.Actor, Actor }, { d => d.User, user } }, DialogWidth);
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: true })
        {
            Snackbar.Add($"Roles saved: {user.Email}", Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task ResetPasswordAsync(UserRow user)
    {
        var dialog = await Dialogs.ShowAsync<ResetPasswordDialog>("Reset password",
            new DialogParameters<ResetPasswordDialog> { { d => d.Actor, Actor }, { d => d.User, user } }, DialogWidth);
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: true })
            Snackbar.Add($"Password reset: give {user.Email} the new password; their open sessions end.", Severity.Success);
    }

    private async Task LockAsync(UserRow user)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Lock " + user.Email + "?",
            $"{user.Email} will not be able to sign in until an admin unlocks the account, and open sessions end.",
            yesText: "Lock", cancelText: "Cancel");
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
                Snackbar.Add($"{successTitle}: {detail}", Severity.Success);
            else
                Snackbar.Add("Not done: " + result.ErrorSummary, Severity.Error, o => o.VisibleStateDuration = 10_000);
            await ReloadAsync();
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "User administration failed");
            Snackbar.Add("Something went wrong: the change was not saved. The error was logged.", Severity.Error);
        }
        finally
        {
            busy = false;
        }
    }

    private async Task ReloadAsync()
    {
        if (grid is not null)
            await grid.ReloadServerData();
    }

    private string Local(DateTime utc) => zone is null
        ? utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC"
        : BrowserTimeZone.ToLocal(utc, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static Color RoleColor(string role) => role switch
    {
        Roles.Admin => Color.Error,
        Roles.Finance => Color.Info,
        _ => Color.Secondary,
    };
}
