using System.ComponentModel.DataAnnotations;

namespace Playbooks.Calling.Crm;

/// <summary>How the CRM connectors behave; every value has a working default.</summary>
public sealed class CrmOptions
{
    public const string Section = "Crm";

    /// <summary>Salesforce REST API version in request paths.</summary>
    [Required, RegularExpression(@"^v\d{2,3}\.0$")]
    public string SalesforceApiVersion { get; set; } = "v60.0";

    /// <summary>Where Dynamics tokens come from (the Entra ID authority host).</summary>
    [Required]
    public Uri EntraAuthorityHost { get; set; } = new("https://login.microsoftonline.com");

    /// <summary>Orgs synced at the same time; each org's writes run one request after another.</summary>
    [Range(1, 64)]
    public int MaxParallelOrgs { get; set; } = 4;

    /// <summary>Pending activities taken per org per run; the rest wait for the next run.</summary>
    [Range(1, 10_000)]
    public int MaxActivitiesPerOrgRun { get; set; } = 1000;

    /// <summary>After this many failed attempts at the same content an activity is marked sync-failed for admins.</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 50;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a client secret read from Key Vault is reused; a rotated secret applies within this time.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan SecretCacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long one org's sync may hold its lease (one writer per org across instances); longer than a run can last
    /// (the function timeout), so a lease only expires when its writer died.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Quick retries of a CRM read (a query, WhoAmI) after a 5xx, 408, network error or attempt timeout; writes wait for the next run.</summary>
    [Range(0, 5)]
    public int ReadRetries { get; set; } = 2;

    /// <summary>The first read retry's delay; each later one doubles it (with jitter).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan ReadRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>One attempt of a CRM request.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The Key Vault that holds only the orgs' CRM client secrets (<c>crm-{org}-client-secret</c>); never the app's own
    /// vault (<c>KeyVault:Uri</c>), whose Twilio secrets no CRM setting may reach.
    /// </summary>
    public Uri? KeyVaultUri { get; set; }

    /// <summary>Lets a CRM be a plain-http stub on this machine (127.0.0.1 or ::1); only the Development dev server sets it.</summary>
    public bool AllowLoopbackHttp { get; set; }
}
