using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling;
using Playbooks.Calling.Bootstrap;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Greetings;
using Playbooks.Calling.Health;
using Playbooks.Calling.OrgDirectory;
using Playbooks.Calling.Recordings;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Twilio;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Me;

namespace Playbooks.Functions;

public static class FunctionsServiceCollectionExtensions
{
    /// <summary>Everything the HTTP and timer functions need; the dev server calls this too.</summary>
    public static IServiceCollection AddPlaybooksFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => PlaybooksJson.Configure(o.JsonSerializerOptions));
        services.AddPlaybooksAuthentication(configuration);
        services.AddPlaybooksStorage(configuration);
        services.AddPlaybooksHealth(configuration);
        services.AddPlaybooksDirectory();
        services.AddPlaybooksTwilio(configuration);
        services.AddPlaybooksCalls(configuration);
        services.AddPlaybooksCallEvents(configuration);
        services.AddPlaybooksOpenCallSweep(configuration);
        services.AddPlaybooksCrm(configuration);
        services.AddPlaybooksRecordings();
        services.AddPlaybooksGreetings();
        services.AddPlaybooksCallingApi(configuration);
        services.AddPlaybooksBootstrap(configuration);
        return services;
    }
}
