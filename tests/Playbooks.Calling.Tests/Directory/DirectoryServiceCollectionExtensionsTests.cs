using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Audit;
using Playbooks.Calling.OrgDirectory;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.People;
using Playbooks.Calling.Permissions;
using Playbooks.Calling.Teams;

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
    [InlineData(typeof(DemoOrgSeed))]
    public void AddPlaybooksDirectory_WithTableClient_ResolvesService(Type service)
    {
        var services = new ServiceCollection()
            .AddSingleton(new TableServiceClient("UseDevelopmentStorage=true"))
            .AddPlaybooksDirectory();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.IsType(service, provider.GetRequiredService(service));
    }
}
