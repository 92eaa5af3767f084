using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Audit;
using Playbooks.Calling.Calls;
using Playbooks.Calling.OrgDirectory;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.Permissions;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Teams;
using Playbooks.Calling.Tests.Twilio;
using Playbooks.Calling.Twilio;

namespace Playbooks.Calling.Tests.OrgDirectory;

public class DirectoryServiceCollectionExtensionsTests
{
    [Theory]
    [InlineData(typeof(MeService))]
    [InlineData(typeof(PeopleService))]
    [InlineData(typeof(TeamsService))]
    [InlineData(typeof(PermissionGroupService))]
    [InlineData(typeof(OrgService))]
    [InlineData(typeof(SupportOrgService))]
    [InlineData(typeof(AuditService))]
    [InlineData(typeof(CallingAccess))]
    public void AddPlaybooksDirectory_WithTableClient_ResolvesService(Type service)
    {
        // MeService and PeopleService call a new agent phone to verify it, so they need the Twilio and calls services too.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Twilio:AccountSid"] = TestTwilioOptions.AccountSid,
            ["Twilio:ApiKeySid"] = TestTwilioOptions.ApiKeySid,
            ["Twilio:ApiKeySecret"] = TestTwilioOptions.ApiKeySecret,
            ["Twilio:AuthToken"] = TestTwilioOptions.AuthToken,
            ["Twilio:TwimlAppSid"] = TestTwilioOptions.TwimlAppSid,
            ["Twilio:PublicBaseUrl"] = TestTwilioOptions.PublicBaseUrl,
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton(new TableServiceClient("UseDevelopmentStorage=true"))
            .AddLogging()
            .AddPlaybooksDirectory()
            .AddPlaybooksTwilio(configuration)
            .AddPlaybooksCalls(configuration);
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.IsType(service, provider.GetRequiredService(service));
    }
}
