using Azure;
using Azure.Data.Tables;

namespace Playbooks.Calling.Storage;

/// <summary>Keyset paging over one org's partition, with an optional in-memory filter for what Table Storage cannot query (e.g. contains).</summary>
internal static class TableQueries
{
    // A sparse in-memory filter reads bigger server pages, so a search does not take one round trip per row.
    private const int ScanPageSize = 1000;

    /// <summary>Table Storage refuses a filter with more comparisons than this; Azurite does not, so <see cref="Checked"/> enforces it.</summary>
    public const int MaxComparisons = 15;

    private static readonly HashSet<string> ComparisonOperators = ["eq", "ne", "gt", "ge", "lt", "le"];

    public static Task<PagedList<T>> ReadPageAsync<TEntity, T>(
        TableClient table,
        string orgId,
        string? serverFilter,
        PageRequest page,
        Func<TEntity, T> map,
        Func<T, bool>? keep,
        CancellationToken cancellationToken)
        where TEntity : class, ITableEntity, new() =>
        ReadPageAsync(table, orgId, serverFilter, null, page, map, keep, cancellationToken);

    /// <summary>
    /// One page in RowKey order of the rows matching <paramref name="serverFilter"/> whose <paramref name="anyOf"/> property
    /// is one of the values. Many values are split into queries that each stay within <see cref="MaxComparisons"/>, read
    /// side by side and merged by RowKey, so memory stays at one page per query.
    /// </summary>
    public static async Task<PagedList<T>> ReadPageAsync<TEntity, T>(
        TableClient table,
        string orgId,
        string? serverFilter,
        (string Property, IReadOnlyCollection<string> Values)? anyOf,
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

        var filters = new List<string>();
        if (anyOf is not { } values)
        {
            filters.Add(Checked(filter));
        }
        else
        {
            var room = MaxComparisons - CountComparisons(filter);
            if (room < 1) Checked(filter + " and " + AnyOf(values.Property, values.Values.Take(1)));
            filters.AddRange(values.Values.Distinct(StringComparer.Ordinal).Chunk(room).Select(chunk => Checked($"{filter} and ({AnyOf(values.Property, chunk)})")));
        }

        var maxPerPage = keep is null ? Math.Min(page.PageSize + 1, ScanPageSize) : ScanPageSize;
        var sources = new List<IAsyncEnumerator<TEntity>>();
        var heads = new List<(TEntity Entity, T Item)?>();
        try
        {
            foreach (var f in filters)
            {
                var source = table.QueryAsync<TEntity>(f, maxPerPage, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
                sources.Add(source);
                heads.Add(await NextKeptAsync(source, map, keep));
            }

            var items = new List<T>(Math.Min(page.PageSize, 100));
            string? lastKey = null;
            while (true)
            {
                var next = -1;
                for (var i = 0; i < heads.Count; i++)
                {
                    if (heads[i] is { } head && (next < 0 || string.CompareOrdinal(head.Entity.RowKey, heads[next]!.Value.Entity.RowKey) < 0)) next = i;
                }
                if (next < 0)
                {
                    return new PagedList<T>(items, null);
                }
                if (items.Count == page.PageSize)
                {
                    return new PagedList<T>(items, ContinuationTokens.Encode(lastKey!));
                }
                var (entity, item) = heads[next]!.Value;
                items.Add(item);
                lastKey = entity.RowKey;
                heads[next] = await NextKeptAsync(sources[next], map, keep);
            }
        }
        finally
        {
            foreach (var source in sources) await source.DisposeAsync();
        }
    }

    private static async Task<(TEntity Entity, T Item)?> NextKeptAsync<TEntity, T>(IAsyncEnumerator<TEntity> source, Func<TEntity, T> map, Func<T, bool>? keep)
    {
        while (await source.MoveNextAsync())
        {
            var item = map(source.Current);
            if (keep is null || keep(item)) return (source.Current, item);
        }
        return null;
    }

    /// <summary>The comparison operators in an OData filter, not counting text inside quoted values.</summary>
    public static int CountComparisons(string filter)
    {
        var count = 0;
        var quoted = false;
        var word = new System.Text.StringBuilder();
        foreach (var c in filter + " ")
        {
            if (c == '\'')
            {
                quoted = !quoted; // a doubled quote inside a value toggles twice
                word.Clear();
                continue;
            }
            if (quoted) continue;
            if (char.IsLetter(c))
            {
                word.Append(c);
                continue;
            }
            if (word.Length > 0 && ComparisonOperators.Contains(word.ToString())) count++;
            word.Clear();
        }
        return count;
    }

    /// <summary>The filter, or an exception when Table Storage would refuse it for having more than <see cref="MaxComparisons"/> comparisons.</summary>
    public static string Checked(string filter)
    {
        var comparisons = CountComparisons(filter);
        return comparisons <= MaxComparisons
            ? filter
            : throw new InvalidOperationException($"A table filter has {comparisons} comparisons; Table Storage allows at most {MaxComparisons}.");
    }

    public static async Task<List<T>> ReadAllAsync<TEntity, T>(
        TableClient table, string orgId, string? serverFilter, Func<TEntity, T> map, CancellationToken cancellationToken)
        where TEntity : class, ITableEntity, new()
    {
        var all = new List<T>();
        await foreach (var item in StreamAsync(table, orgId, serverFilter, map, cancellationToken))
        {
            all.Add(item);
        }
        return all;
    }

    /// <summary>The org's partition (optionally filtered) as it is read, page by page: a caller may stop early.</summary>
    public static async IAsyncEnumerable<T> StreamAsync<TEntity, T>(
        TableClient table, string orgId, string? serverFilter, Func<TEntity, T> map,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        where TEntity : class, ITableEntity, new()
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {orgId}");
        if (!string.IsNullOrEmpty(serverFilter))
        {
            filter += $" and ({serverFilter})";
        }
        await foreach (var entity in table.QueryAsync<TEntity>(Checked(filter), ScanPageSize, cancellationToken: cancellationToken))
        {
            yield return map(entity);
        }
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
