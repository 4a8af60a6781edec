/**
 * The registries the dashboard can connect to, described once: how to
 * connect (modes, regions, the credential fields: `secret` ones are
 * password inputs never kept unless remembered, `optional` ones may stay
 * empty, `advanced` ones sit in a collapsed section), where navigation starts,
 * and what their tags look like in the table. The connect form, the
 * session and the views read these entries; adding a registry is adding an
 * entry here, its session (api/session.js) and its tag source
 * (api/tag-source.js).
 */
export const REGISTRIES = [
  {
    id: "alibaba-cr",
    label: "Alibaba Cloud Container Registry EE",
    short: "Alibaba CR",
    modes: ["direct", "proxy"],
    defaultRegion: "cn-hangzhou",
    regions: [
      "cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "cn-qingdao", "cn-zhangjiakou",
      "cn-huhehaote", "cn-chengdu", "cn-hongkong", "ap-southeast-1", "ap-southeast-3", "ap-southeast-5",
      "ap-northeast-1", "ap-south-1", "eu-central-1", "eu-west-1", "us-west-1", "us-east-1", "me-east-1",
    ],
    endpointFor: (region) => `cr.${region}.aliyuncs.com`,
    endpointHint: "Leave empty for the region\u2019s public endpoint. Direct mode needs an endpoint that allows browser requests (CORS), such as the local emulator; Alibaba\u2019s own endpoints do not.",
    credentials: [
      { name: "accessKeyId", label: "AccessKey ID" },
      { name: "accessKeySecret", label: "AccessKey secret", secret: true, clearOnRefusal: "wrong-secret" },
      { name: "securityToken", label: "STS security token", secret: true, optional: true, advanced: "Temporary credentials (STS)", hint: "Only for temporary (STS) credentials." },
    ],
    /** Routes carry an instance: #/i/{instanceId}/… */
    instanceScoped: true,
    home: { name: "instances" },
    homeLabel: "Instances",
    tagColumns: ["digest", "size", "created", "updated", "vulns"],
  },
  {
    id: "scaleway",
    label: "Scaleway Container Registry",
    short: "Scaleway",
    modes: ["direct"],
    defaultRegion: "fr-par",
    regions: ["fr-par", "nl-ams", "pl-waw"],
    endpointFor: () => "https://api.scaleway.com",
    endpointHint: "Leave empty for api.scaleway.com.",
    credentials: [
      {
        name: "authToken",
        label: "Secret key",
        secret: true,
        clearOnRefusal: "token",
        hint: "An API key\u2019s secret key (a UUID), sent as X-Auth-Token. The access key (SCW\u2026) is not needed.",
      },
    ],
    instanceScoped: false,
    home: { name: "namespaces" },
    homeLabel: "Namespaces",
    tagColumns: ["status", "digest", "created", "updated"],
    /** Shown where "New tag" would be: the package refuses createTag for Scaleway. */
    createUnavailable: "Scaleway has no API to create a tag. Tag the image locally and push it (docker tag, docker push) instead.",
    /** Scaleway refuses to delete a tag whose digest another tag shares unless forced. */
    sharedDigestNeedsForce: true,
  },
  {
    id: "swr",
    label: "Open Telekom Cloud SWR",
    short: "OTC SWR",
    modes: ["direct"],
    defaultRegion: "eu-de",
    regions: ["eu-de", "eu-nl", "eu-ch2"],
    endpointFor: (region) => `https://swr-api.${region}.otc.t-systems.com`,
    endpointHint: "Leave empty for the region\u2019s SWR API (swr-api.{region}.otc.t-systems.com).",
    credentials: [
      {
        name: "authToken",
        label: "IAM token",
        secret: true,
        clearOnRefusal: "token",
        hint: "The X-Subject-Token IAM issued (valid for 24 hours), sent as X-Auth-Token.",
      },
    ],
    /** SWR's tag API cannot list namespaces or repositories: the form asks for one to open. */
    locator: {
      hint: "SWR\u2019s tag API has no list of repositories: name the one to open. Connecting lists one of its tags to check the token.",
    },
    instanceScoped: false,
    home: { name: "namespaces" },
    homeLabel: "Repositories",
    tagColumns: ["digest", "size", "created", "updated"],
  },
];

export function registryById(id) {
  return REGISTRIES.find((registry) => registry.id === id) ?? REGISTRIES[0];
}
