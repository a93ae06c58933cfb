using Microsoft.EntityFrameworkCore;

namespace Portal.Persistence;

/// <summary>
/// Lets the domain services (which know only <see cref="DbContext"/>) open the portal's context:
/// a short-lived context per operation, never a long-lived one.
/// </summary>
internal sealed class DomainDbContextFactory(IDbContextFactory<PortalDbContext> inner) : IDbContextFactory<DbContext>
{
    public DbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<DbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
