using Azure;
using Azure.Data.Tables;

namespace Playbooks.Calling.OrgDirectory;

/// <summary>Keyset paging over one org's partition, with an optional in-memory filter for what Table Storage cannot query (e.g. contains).</summary>
internal static class TableQueries
{
    // A sparse in-memory filter reads bigger server pages, so a search does not take one round trip per row.
    private const int ScanPageSize = 1000;

    public static async Task<PagedList<T>> ReadPageAsync<TEntity, T>(
        TableClient table,
        string orgId,
        string? serverFilter,
        PageRequest page,
        Func<TEntity, T> map,
        Func<T, bool>? keep,
        CancellationToken cancellationToken)
        where TEntity : class, ITableEntity, new()
    {
        ContinuationTokens.TryDecode(page.ContinuationToken, out var after);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {orgId}");
        if (after is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {after}");
        }
        if (!string.IsNullOrEmpty(serverFilter))
        {
            filter += $" and ({serverFilter})";
        }

        var items = new List<T>(Math.Min(page.PageSize, 100));
        string? lastKey = null;
        var more = false;
        var maxPerPage = keep is null ? Math.Min(page.PageSize + 1, ScanPageSize) : ScanPageSize;
        await foreach (var entity in table.QueryAsync<TEntity>(filter, maxPerPage, cancellationToken: cancellationToken))
        {
            var item = map(entity);
            if (keep is not null && !keep(item))
            {
                continue;
            }
            if (items.Count == page.PageSize)
            {
                more = true;
                break;
            }
            items.Add(item);
            lastKey = entity.RowKey;
        }
        return new PagedList<T>(items, more ? ContinuationTokens.Encode(lastKey!) : null);
    }

    public static async Task<List<T>> ReadAllAsync<TEntity, T>(
        TableClient table, string orgId, string? serverFilter, Func<TEntity, T> map, CancellationToken cancellationToken)
        where TEntity : class, ITableEntity, new()
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {orgId}");
        if (!string.IsNullOrEmpty(serverFilter))
        {
            filter += $" and ({serverFilter})";
        }
        var all = new List<T>();
        await foreach (var entity in table.QueryAsync<TEntity>(filter, ScanPageSize, cancellationToken: cancellationToken))
        {
            all.Add(map(entity));
        }
        return all;
    }

    /// <summary>The entity, or null when it does not exist or the key could never exist (ids come from URLs).</summary>
    public static async Task<TEntity?> GetOrNullAsync<TEntity>(
        TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
        where TEntity : class, ITableEntity, new()
    {
        if (!TableKeys.IsValid(partitionKey) || !TableKeys.IsValid(rowKey))
        {
            return null;
        }
        var response = await table.GetEntityIfExistsAsync<TEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public static string AnyOf(string property, IEnumerable<string> values) =>
        string.Join(" or ", values.Select(v => $"{property} eq '{v.Replace("'", "''")}'"));

    public static string? VersionOf(Response response) => response.Headers.ETag?.ToString();

    /// <summary>
    /// Whether a client's If-Match looks like a Table Storage ETag; anything else (which storage answers with 400)
    /// cannot match the stored version, so callers treat it as a stale edit.
    /// </summary>
    public static bool IsWellFormedVersion(string version) =>
        version == "*" || (version.StartsWith("W/\"datetime'", StringComparison.Ordinal) && version.EndsWith("'\"", StringComparison.Ordinal));
}

/// <summary>Which strings Table Storage accepts as PartitionKey or RowKey.</summary>
public static class TableKeys
{
    public static bool IsValid(string? key) =>
        !string.IsNullOrEmpty(key)
        && key.Length <= 256
        && !key.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
}
