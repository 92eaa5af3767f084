// Playbooks Calling: the whole system in one resource group.
// Resource-group scope, so the portal's "Deploy to Azure" asks for a group (new or existing) and azd deploys into AZURE_RESOURCE_GROUP.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('Short name of this environment (for example "prod" or "contoso-sandbox"); it seeds every resource name.')
param environmentName string

@description('Region for every resource except the static web app. Pick one that offers the Functions Flex Consumption plan.')
param location string = resourceGroup().location

@allowed(['westus2', 'centralus', 'eastus2', 'westeurope', 'eastasia'])
@description('Region of the static web app (Static Web Apps run in these regions only; the content is served worldwide).')
param staticWebAppLocation string = 'eastus2'

@allowed(['Free', 'Standard'])
param staticWebAppSku string = 'Free'

@minLength(34)
@maxLength(34)
@description('Twilio account SID (AC...).')
param twilioAccountSid string

@minLength(34)
@maxLength(34)
@description('SID of the Twilio API key (SK...) that signs Voice access tokens.')
param twilioApiKeySid string

@minLength(34)
@maxLength(34)
@description('SID of the TwiML app (AP...) whose Voice URL serves /api/twilio/voice.')
param twilioTwimlAppSid string

@maxLength(34)
@description('SID of the network test\'s own TwiML app (AP...) whose Voice URL serves /api/twilio/preflight. Empty: the network test is off.')
param twilioPreflightTwimlAppSid string = ''

@minLength(8)
@maxLength(16)
@description('Default caller ID in E.164 form (+15551234567): a Twilio number or a verified caller ID.')
param twilioDefaultCallerId string

@secure()
@minLength(1)
@description('Twilio account auth token. Stored only in Key Vault.')
param twilioAuthToken string

@secure()
@minLength(1)
@description('Secret of the Twilio API key. Stored only in Key Vault.')
param twilioApiKeySecret string

@description('Entra tenant id of the app registration that issues bearer tokens. Empty means the tenant of this subscription.')
param entraTenantId string = ''

@minLength(36)
@maxLength(36)
@description('Application (client) id of the Entra app registration (app roles Rep, Manager, Admin, Support).')
param entraClientId string

@description('Entra tenant id (GUID) of the vendor: only its tokens may carry the Support role. Empty means no one is Support.')
param supportTenantId string = ''

@description('Bootstrap: id of the first org, created at start-up. It must equal the org the first admin\'s token carries: the org claim, or the tenant id (tid) when the token has none. Empty turns the bootstrap off.')
param bootstrapOrgId string = ''

@description('Bootstrap: display name of the first org.')
param bootstrapOrgName string = ''

@description('Bootstrap: Entra object id (GUID) of the first org\'s first admin; give them the Admin app role too.')
param bootstrapAdminObjectId string = ''

@description('Token claim that names the Playbooks org; the app falls back to the tenant id (tid) when it is absent.')
param orgClaim string = 'org_id'

@description('Window in which Service Bus drops a repeated call event (ISO 8601 duration, 20 s to 7 days).')
param callEventsDuplicateDetectionWindow string = 'PT10M'

@description('Optional object id of the admin who deploys; granted Key Vault Secrets Officer on the CRM vault to add CRM client secrets.')
param adminPrincipalId string = ''

@description('Key Vault purge protection on both vaults: a deleted vault or secret stays recoverable for its 7-day retention and cannot be purged. Irreversible once on; turn off only for throw-away environments.')
param enableKeyVaultPurgeProtection bool = true

@description('Network isolation: storage and both Key Vaults refuse public traffic, and the Function App reaches them through a virtual network with private endpoints. See infra/README.md.')
param enableNetworkIsolation bool = false

@minValue(1)
@maxValue(1000)
@description('Most Function App instances the Flex Consumption plan may run.')
param maximumInstanceCount int = 100

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('https URL of the Function App package (the release asset playbooks-functions.zip) that the deployment installs. Empty deploys the infrastructure only, as azd does before it uploads the code itself.')
param packageUrl string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(resourceGroup().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var tenantId = empty(entraTenantId) ? tenant().tenantId : entraTenantId
var functionAppName = '${abbrs.webSitesFunctions}${resourceToken}'
// Flex Consumption deploys the app package from this container.
var deploymentContainerName = 'deployment-package'
var callEventsQueueName = 'call-events'
var tableNames = ['Orgs', 'PermissionGroups', 'Teams', 'People', 'Audit', 'Calls', 'Activities', 'CrmConnections', 'QualityReports', 'CallerIds', 'AgentPhoneVerifications']
// The Functions host's leases (timers) and keys.
var hostContainerNames = ['azure-webjobs-hosts', 'azure-webjobs-secrets']
// The app's own private containers: the reps' voicemail greetings. With the two above and the deployment container, the
// only blobs the app may touch.
var appContainerNames = ['greetings']

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    tableNames: tableNames
    hostContainerNames: hostContainerNames
    appContainerNames: appContainerNames
    enableNetworkIsolation: enableNetworkIsolation
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    name: '${abbrs.serviceBusNamespaces}${resourceToken}'
    location: location
    tags: tags
    queueName: callEventsQueueName
    duplicateDetectionWindow: callEventsDuplicateDetectionWindow
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    serviceBusNamespaceName: serviceBus.outputs.name
    queueName: serviceBus.outputs.queueName
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    tenantId: subscription().tenantId
    twilioAuthToken: twilioAuthToken
    twilioApiKeySecret: twilioApiKeySecret
    enablePurgeProtection: enableKeyVaultPurgeProtection
    enableNetworkIsolation: enableNetworkIsolation
  }
}

module crmKeyVault 'modules/crm-keyvault.bicep' = {
  name: 'crm-keyvault'
  params: {
    name: '${abbrs.keyVaultVaults}crm-${resourceToken}'
    location: location
    tags: tags
    tenantId: subscription().tenantId
    enablePurgeProtection: enableKeyVaultPurgeProtection
    enableNetworkIsolation: enableNetworkIsolation
  }
}

module network 'modules/network.bicep' = if (enableNetworkIsolation) {
  name: 'network'
  params: {
    name: '${abbrs.networkVirtualNetworks}${resourceToken}'
    privateEndpointPrefix: abbrs.networkPrivateEndpoints
    location: location
    tags: tags
    storageAccountId: storage.outputs.id
    keyVaultId: keyVault.outputs.id
    crmKeyVaultId: crmKeyVault.outputs.id
  }
}

module web 'modules/staticwebapp.bicep' = {
  name: 'staticwebapp'
  params: {
    name: '${abbrs.webStaticSites}${resourceToken}'
    location: staticWebAppLocation
    tags: tags
    sku: staticWebAppSku
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    blobContainerNames: concat([deploymentContainerName], hostContainerNames, appContainerNames)
    serviceBusNamespaceName: serviceBus.outputs.name
    serviceBusQueueName: serviceBus.outputs.queueName
    keyVaultName: keyVault.outputs.name
    twilioSecretNames: keyVault.outputs.secretNames
    crmKeyVaultName: crmKeyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    adminPrincipalId: adminPrincipalId
  }
}

module api 'modules/functionapp.bicep' = {
  name: 'functionapp'
  // Roles first, so the app's first start can already read storage and resolve its Key Vault references.
  dependsOn: [rbac]
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    deploymentContainerName: deploymentContainerName
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    serviceBusQueueName: serviceBus.outputs.queueName
    crmKeyVaultUri: crmKeyVault.outputs.uri
    virtualNetworkSubnetId: enableNetworkIsolation ? network!.outputs.appSubnetId : ''
    authTokenVaultReference: keyVault.outputs.authTokenVaultReference
    apiKeyVaultReference: keyVault.outputs.apiKeyVaultReference
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    webOrigin: web.outputs.origin
    entraTenantId: tenantId
    entraClientId: entraClientId
    orgClaim: orgClaim
    supportTenantId: supportTenantId
    bootstrapOrgId: bootstrapOrgId
    bootstrapOrgName: bootstrapOrgName
    bootstrapAdminObjectId: bootstrapAdminObjectId
    twilioAccountSid: twilioAccountSid
    twilioApiKeySid: twilioApiKeySid
    twilioTwimlAppSid: twilioTwimlAppSid
    twilioPreflightTwimlAppSid: twilioPreflightTwimlAppSid
    twilioDefaultCallerId: twilioDefaultCallerId
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    packageUrl: packageUrl
  }
}

module webSettings 'modules/staticwebapp-settings.bicep' = {
  name: 'staticwebapp-settings'
  params: {
    name: web.outputs.name
    apiBaseUrl: api.outputs.url
  }
}

output AZURE_LOCATION string = location
output API_BASE_URL string = api.outputs.url
output WEB_APP_URL string = web.outputs.origin
output TWILIO_VOICE_URL string = '${api.outputs.url}/api/twilio/voice'
output TWILIO_STATUS_URL string = '${api.outputs.url}/api/twilio/status'
output TWILIO_PREFLIGHT_URL string = '${api.outputs.url}/api/twilio/preflight'
output TWILIO_ACCOUNT_SID string = twilioAccountSid
output TWILIO_TWIML_APP_SID string = twilioTwimlAppSid
output TWILIO_PREFLIGHT_TWIML_APP_SID string = twilioPreflightTwimlAppSid
output ENTRA_TENANT_ID string = tenantId
output ENTRA_CLIENT_ID string = entraClientId
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_STATIC_WEB_APP_NAME string = web.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output AZURE_CRM_KEY_VAULT_NAME string = crmKeyVault.outputs.name
output AZURE_CRM_KEY_VAULT_URI string = crmKeyVault.outputs.uri
