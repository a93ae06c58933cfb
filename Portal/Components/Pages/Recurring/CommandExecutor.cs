using MudBlazor;
using Portal.Domain;
using Portal.Domain.Recurring;

namespace Portal.Components.Pages.Recurring;

/// <summary>A user-triggered command: what the button says, and the question asked before it runs (none = no confirmation).</summary>
/// <param name="Name">Stable name, used for the busy flag and test ids ("pause", "charge-now").</param>
/// <param name="Title">What the person pressed ("Pause collection").</param>
/// <param name="Progress">Shown while it runs ("Charging the next cycle…").</param>
public sealed record UiCommand(string Name, string Title, string Progress, Confirmation? Confirm = null);

/// <summary>The question asked before a command runs.</summary>
public sealed record Confirmation(string Title, string Message, string YesText, bool Destructive = false);

/// <summary>
/// The one way the recurring pages run a command (STYLE.md §6): ask for confirmation, set a busy
/// flag that disables every action button while it runs (so a double click cannot run it twice),
/// show progress, and end in a success message or a readable error. A refusal by the rules
/// (<see cref="DomainException"/>, its message written for people) is shown as it is; anything
/// else is logged and shown as a generic failure, never swallowed.
/// </summary>
public sealed class CommandExecutor(IDialogService dialogs, ISnackbar snackbar, ILogger logger, Action changed)
{
    private string? _running;

    /// <summary>The command running now, if any.</summary>
    public string? Running => _running;

    public bool IsBusy => _running is not null;

    public bool IsRunning(string name) => _running == name;

    /// <summary>
    /// Runs <paramref name="action"/>; its result is the success message. Returns true when it ran
    /// and succeeded; false when it was declined, refused, failed or another command was running.
    /// </summary>
    public async Task<bool> RunAsync(UiCommand command, Func<CancellationToken, Task<string>> action, CancellationToken cancellationToken)
    {
        if (_running is not null) return false;
        _running = command.Name;
        changed();
        Snackbar? progress = null;
        try
        {
            if (command.Confirm is { } confirm)
            {
                var yes = await dialogs.ShowMessageBoxAsync(new MessageBoxOptions
                {
                    Title = confirm.Title,
                    Message = confirm.Message,
                    YesText = confirm.YesText,
                    CancelText = "Keep as it is",
                }, new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true, CloseOnEscapeKey = true });
                if (yes != true) return false;
            }
            progress = snackbar.Add(command.Progress, Severity.Normal, o =>
            {
                o.RequireInteraction = true;
                o.ShowCloseIcon = false;
            });
            var message = await action(cancellationToken);
            snackbar.Add(message, Severity.Success);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away; nobody is left to tell.
            return false;
        }
        catch (RecurringScheduleException refused) when (refused.SetupPath is { } setup)
        {
            // No second factor yet: say so and link to where it is set up (the link outlives the snackbar's text).
            logger.LogInformation("{Command} was refused: {Reason}", command.Name, refused.Message);
            snackbar.Add(builder =>
            {
                builder.AddContent(0, $"{command.Title}: {refused.Message} ");
                builder.OpenElement(1, "a");
                builder.AddAttribute(2, "href", setup.TrimStart('/'));
                builder.AddAttribute(3, "data-testid", "recurring-mfa-setup");
                builder.AddContent(4, "Set up an authenticator app");
                builder.CloseElement();
            }, Severity.Error, o => o.RequireInteraction = true);
            return false;
        }
        catch (DomainException refused)
        {
            logger.LogInformation("{Command} was refused: {Reason}", command.Name, refused.Message);
            snackbar.Add($"{command.Title}: {refused.Message}", Severity.Error);
            return false;
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Command} failed", command.Name);
            snackbar.Add($"{command.Title} failed: the error was logged. Reload the page to see the schedule's current state before trying again.", Severity.Error);
            return false;
        }
        finally
        {
            if (progress is not null) snackbar.Remove(progress);
            _running = null;
            changed();
        }
    }
}
