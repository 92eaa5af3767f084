@description('Name of the Function App (the HTTP API, the Twilio webhooks and the activity writer).')
param name string
@description('Name of its Flex Consumption plan.')
param planName string
param location string
param tags object

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string
@description('Client id of that identity; the app and the host pick it for every Azure connection.')
param identityClientId string

param storageAccountName string
param blobEndpoint string
param tableEndpoint string
param queueEndpoint string
param deploymentContainerName string

param serviceBusNamespace string
param serviceBusQueueName string

@description('The vault of per-org CRM client secrets; the only vault the CRM code reads.')
param crmKeyVaultUri string
@description('App setting value of the form @Microsoft.KeyVault(SecretUri=...) for the Twilio auth token.')
param authTokenVaultReference string
@description('App setting value of the form @Microsoft.KeyVault(SecretUri=...) for the Twilio API key secret.')
param apiKeyVaultReference string

param applicationInsightsConnectionString string

@description('https origin of the static web app: the only origin allowed by CORS.')
param webOrigin string

param entraTenantId string
param entraClientId string
param orgClaim string
@description('Vendor tenant whose tokens alone may carry the Support role.')
param supportTenantId string
@description('The first org and its first admin, created at start-up when set (empty: off).')
param bootstrapOrgId string
param bootstrapOrgName string
param bootstrapAdminObjectId string

param twilioAccountSid string
param twilioApiKeySid string
param twilioTwimlAppSid string
@description('The network test\'s TwiML app; empty turns the network test off.')
param twilioPreflightTwimlAppSid string
param twilioDefaultCallerId string

@description('Subnet the app joins when network isolation is on (delegated to Microsoft.App/environments); empty for none.')
param virtualNetworkSubnetId string

@description('Most instances the plan may scale out to.')
param maximumInstanceCount int
@allowed([512, 2048, 4096])
param instanceMemoryMB int

@description('https URL of the app package (zip of dotnet publish) to install; empty installs no code (azd deploys it).')
param packageUrl string

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      cors: {
        allowedOrigins: [webOrigin]
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource ftp 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: { allow: false }
  }

  resource scm 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: { allow: false }
  }

  // The settings contract of the app: identity-based connections only, secrets as Key Vault references.
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId

      Storage__TableServiceUri: tableEndpoint
      Storage__QueueServiceUri: queueEndpoint
      Storage__BlobServiceUri: blobEndpoint
      Storage__ClientId: identityClientId

      ServiceBus__FullyQualifiedNamespace: serviceBusNamespace
      ServiceBus__QueueName: serviceBusQueueName
      ServiceBus__ClientId: identityClientId
      CallEvents__Transport: 'ServiceBus'
      CallEventsDrainSchedule: '*/5 * * * * *'
      CrmSyncSchedule: '0 * * * * *'
      OpenCallSweepSchedule: '30 * * * * *'

      AzureAd__Instance: environment().authentication.loginEndpoint
      AzureAd__TenantId: entraTenantId
      AzureAd__ClientId: entraClientId
      AzureAd__Audience: 'api://${entraClientId}'
      Auth__OrgClaim: orgClaim
      Auth__SupportTenantId: supportTenantId
      Bootstrap__OrgId: bootstrapOrgId
      Bootstrap__OrgName: bootstrapOrgName
      Bootstrap__AdminObjectId: bootstrapAdminObjectId

      Twilio__AccountSid: twilioAccountSid
      Twilio__ApiKeySid: twilioApiKeySid
      Twilio__TwimlAppSid: twilioTwimlAppSid
      Twilio__PreflightTwimlAppSid: twilioPreflightTwimlAppSid
      Twilio__PublicBaseUrl: 'https://${functionApp.properties.defaultHostName}'
      Twilio__DefaultCallerId: twilioDefaultCallerId
      Twilio__AuthToken: authTokenVaultReference
      Twilio__ApiKeySecret: apiKeyVaultReference

      Crm__KeyVaultUri: crmKeyVaultUri

      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    }
  }
}

// Flex Consumption runs code only from its deployment container (it has no WEBSITE_RUN_FROM_PACKAGE); OneDeploy fetches the
// package from packageUrl into that container. After the settings, so the first start already has them.
resource packageDeployment 'Microsoft.Web/sites/extensions@2024-11-01' = if (!empty(packageUrl)) {
  parent: functionApp
  name: 'onedeploy'
  dependsOn: [functionApp::appSettings]
  #disable-next-line BCP187 // the type library has no body for OneDeploy; packageUri and remoteBuild are its documented properties
  properties: {
    packageUri: packageUrl
    remoteBuild: false
  }
}

output name string = functionApp.name
output url string = 'https://${functionApp.properties.defaultHostName}'
