using System.Text.Json;
using Playbooks.Infra.Tests.Arm;

namespace Playbooks.Infra.Tests.Bicep;

public class StorageTests
{
    private static readonly ArmTemplate Module = ArmTemplate.Compiled.Module("storage");

    private static JsonElement Account => Module.Resource("Microsoft.Storage/storageAccounts").GetProperty("properties");

    [Fact]
    public void Account_MinimumTls_Is12()
    {
        Assert.Equal("TLS1_2", Account.GetProperty("minimumTlsVersion").GetString());
    }

    [Fact]
    public void Account_HttpsOnly_IsOn()
    {
        Assert.True(Account.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
    }

    [Fact]
    public void Account_SharedKeyAccess_IsOff()
    {
        Assert.False(Account.GetProperty("allowSharedKeyAccess").GetBoolean());
    }

    [Fact]
    public void Account_PublicBlobAccess_IsOff()
    {
        Assert.False(Account.GetProperty("allowBlobPublicAccess").GetBoolean());
    }

    [Fact]
    public void Tables_AreEveryTableTheAppOwns()
    {
        var tables = Module.Resource("Microsoft.Storage/storageAccounts/tableServices/tables");
        Assert.Equal("[length(parameters('tableNames'))]", tables.GetProperty("copy").GetProperty("count").GetString());

        var names = Module.ResolveParameter("tableNames").Value
            .EnumerateArray().Select(n => n.GetString()).ToList();

        Assert.Equal(Playbooks.Calling.Storage.TableNames.All.Order(), names.Order());
    }

    [Fact]
    public void Containers_DeploymentHostAndGreetings_AreDeclaredAndPrivate()
    {
        var containers = Module.ResourcesOfType("Microsoft.Storage/storageAccounts/blobServices/containers").ToList();

        Assert.Equal(3, containers.Count);
        Assert.Equal([Playbooks.Calling.Greetings.GreetingStore.ContainerName],
            Module.ResolveParameter("appContainerNames").Value.EnumerateArray().Select(n => n.GetString()));
        Assert.All(containers, c => Assert.Equal("None", c.GetProperty("properties").GetProperty("publicAccess").GetString()));
        Assert.Equal(["azure-webjobs-hosts", "azure-webjobs-secrets"],
            Module.ResolveParameter("hostContainerNames").Value.EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public void NetworkIsolation_MainParameter_IsOffByDefault()
    {
        var parameter = ArmTemplate.Compiled.Parameters.Single(p => p.Name == "enableNetworkIsolation").Value;

        Assert.Equal("bool", parameter.GetProperty("type").GetString());
        Assert.False(parameter.GetProperty("defaultValue").GetBoolean());
    }

    [Fact]
    public void NetworkIsolation_On_AccountRefusesPublicTraffic()
    {
        Assert.Equal("[if(parameters('enableNetworkIsolation'), 'Disabled', 'Enabled')]", Account.GetProperty("publicNetworkAccess").GetString());
        Assert.Equal("[if(parameters('enableNetworkIsolation'), 'Deny', 'Allow')]", Account.GetProperty("networkAcls").GetProperty("defaultAction").GetString());
        Assert.Equal("[parameters('enableNetworkIsolation')]", Module.ResolveParameter("enableNetworkIsolation").Text);
    }
}
