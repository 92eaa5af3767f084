using Azure.Data.Tables;
using Playbooks.Calling.OrgDirectory;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Quality;

public class QualityReportStore(TableServiceClient tables)
{
    private TableClient Table => tables.GetTableClient(TableNames.QualityReports);

    public virtual async Task<QualityReport> AddAsync(QualityReport report, CancellationToken cancellationToken = default)
    {
        await Table.AddEntityAsync(QualityReportEntity.From(report), cancellationToken);
        return report;
    }

    /// <summary>Newest first; <paramref name="teamIds"/>, when given, keeps only reports from those teams.</summary>
    public virtual Task<PagedList<QualityReport>> ListAsync(
        string orgId, IReadOnlyCollection<string>? teamIds, PageRequest page, CancellationToken cancellationToken = default)
    {
        if (teamIds is { Count: 0 })
        {
            return Task.FromResult(new PagedList<QualityReport>([], null));
        }
        var filter = teamIds is null ? null : TableQueries.AnyOf(nameof(QualityReportEntity.TeamId), teamIds);
        return TableQueries.ReadPageAsync<QualityReportEntity, QualityReport>(Table, orgId, filter, page, e => e.ToReport(), null, cancellationToken);
    }
}
