using Azure.Data.Tables;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Quality;

public class QualityReportStore(TableServiceClient tables)
{
    private TableClient Table => tables.GetTableClient(TableNames.QualityReports);

    /// <summary>
    /// Adds the report together with a marker keyed by call and reporter, in one transaction: null when the reporter
    /// already reported this call, so two concurrent reports of one call cannot both land.
    /// </summary>
    public virtual async Task<QualityReport?> AddAsync(QualityReport report, CancellationToken cancellationToken = default)
    {
        var marker = new TableEntity(report.OrgId, QualityReportEntity.MarkerRowKey(report.CallSid, report.ReporterUserId));
        try
        {
            await Table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, QualityReportEntity.From(report)),
                    new TableTransactionAction(TableTransactionActionType.Add, marker),
                ],
                cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            return null;
        }
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
        return TableQueries.ReadPageAsync<QualityReportEntity, QualityReport>(
            Table, orgId, QualityReportEntity.ReportsOnly, teamIds is null ? null : (nameof(QualityReportEntity.TeamId), teamIds),
            page, e => e.ToReport(), null, cancellationToken);
    }
}
