namespace Portal.Users;

/// <summary>One reason a user-administration request was refused, tied to the form field it concerns.</summary>
/// <param name="Field">The input it concerns (<see cref="UserAdminFields"/>), or empty for the request as a whole.</param>
public sealed record UserAdminError(string Field, string Message);

public static class UserAdminFields
{
    public const string General = "";
    public const string Email = "Email";
    public const string DisplayName = "DisplayName";
    public const string Roles = "Roles";
    public const string Password = "Password";
}

/// <summary>
/// Outcome of a user-administration request. When it did not succeed nothing was written:
/// every request runs in one transaction together with its audit entry.
/// </summary>
public sealed record UserAdminResult(bool Succeeded, string? UserId, IReadOnlyList<UserAdminError> Errors)
{
    public static UserAdminResult Ok(string userId) => new(true, userId, []);

    public static UserAdminResult Fail(string field, string message) => new(false, null, [new UserAdminError(field, message)]);

    public static UserAdminResult Fail(IEnumerable<UserAdminError> errors) => new(false, null, errors.ToList());

    /// <summary>All messages as one readable sentence list, for a notification.</summary>
    public string ErrorSummary => string.Join(" ", Errors.Select(e => e.Message));

    public IEnumerable<string> ErrorsFor(string field) => Errors.Where(e => e.Field == field).Select(e => e.Message);
}

/// <summary>What an admin enters to create a user.</summary>
public sealed record NewUser(string Email, string DisplayName, IReadOnlyCollection<string> Roles, string Password);
