using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Domain.Audit;

namespace Portal.Persistence;

/// <summary>
/// SQLite with every interceptor a portal context needs, for the places that build a context
/// outside the app's container (commands, benchmarks, tests). One place, so a new interceptor
/// cannot be forgotten in one of them: a context without the audit chain's interceptor writes
/// audit entries the chain's unique sequence refuses.
/// </summary>
public static class PortalDbOptions
{
    public static DbContextOptionsBuilder UsePortalSqlite(this DbContextOptionsBuilder builder, string connectionString) => builder
        .UseSqlite(connectionString)
        .AddInterceptors(new SqliteConnectionInterceptor(), new AppendOnlyAuditInterceptor(), new AuditChainInterceptor())
        .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    public static DbContextOptionsBuilder<TContext> UsePortalSqlite<TContext>(this DbContextOptionsBuilder<TContext> builder, string connectionString)
        where TContext : DbContext
    {
        ((DbContextOptionsBuilder)builder).UsePortalSqlite(connectionString);
        return builder;
    }
}
