// Compiled by scripts/test-wasm.sh with `tsc --noEmit --strict`: the typings
// of ScalewayRegistry, SwrRegistry and the common tag interface describe the
// API as it is used here. Each `@ts-expect-error` line must fail to
// type-check, so typings that are too loose (`any`) fail this file too.
import {
  Client,
  ScalewayRegistry,
  SwrRegistry,
  TagRepository,
  type ScalewayRegistryOptions,
  type ScalewayTag,
  type SwrRetention,
  type SwrRetentionRule,
  type SwrTagList,
  type Tag,
  type TagCapabilities,
  type TagPage,
  type TagdeckError,
} from "../pkg/index.js";

export async function scaleway(): Promise<void> {
  const options: ScalewayRegistryOptions = {
    authToken: "0b7c3e52-9a1f-4c8e-b5d2-6f4a1e9c7d30",
    region: "nl-ams",
    endpoint: "http://127.0.0.1:8080",
    timeoutMs: 5000,
    maxRetries: 3,
    fetch: (url, init) => fetch(url, init),
  };
  const registry = new ScalewayRegistry(options);
  const region: string = registry.region;
  const namespaces = await registry.listNamespaces();
  const images = await registry.listImages({ namespaceId: namespaces.namespaces[0].id, pageSize: 100 });
  const size: bigint | undefined = images.images[0].size;
  const page = await registry.listTags({ imageId: images.images[0].id, orderBy: "name_desc" });
  const total: number = page.totalCount;
  const tag: ScalewayTag = await registry.getTag({ tagId: page.tags[0].id });
  await registry.deleteTag({ tagId: tag.id, force: true });
  // @ts-expect-error orderBy is the API's enumeration
  await registry.listTags({ imageId: "x", orderBy: "status_asc" });
  // @ts-expect-error imageId is required
  await registry.listTags({ page: 1 });
  // @ts-expect-error the token is required
  new ScalewayRegistry({ region: "fr-par" });
  void [region, size, total];
}

export async function swr(): Promise<void> {
  const registry = new SwrRegistry({ authToken: "iam-token", region: "eu-de" });
  const list: SwrTagList = await registry.listRepositoryTags({
    namespace: "group",
    repository: "busybox",
    offset: 0,
    limit: 100,
    orderColumn: "updated_at",
    orderType: "desc",
  });
  const next: number | null = list.nextOffset;
  const size: bigint | undefined = list.tags[0]?.size;
  const name: string | undefined = list.tags[0]?.tag;
  await registry.listRepositoryTags({ namespace: "group", repository: "busybox", filter: "offset::0|limit::10" });
  await registry.createRepoTag({ namespace: "group", repository: "busybox", sourceTag: "latest", destinationTag: "stable", override: true });
  await registry.deleteRepoTag({ namespace: "group", repository: "busybox", tag: "stable" });
  // @ts-expect-error orderType is desc or asc
  await registry.listRepositoryTags({ namespace: "g", repository: "r", orderColumn: "updated_at", orderType: "up" });
  // Image retention policies: the rules as SWR writes them, members camelCase.
  const where = { namespace: "group", repository: "busybox" };
  const policies: SwrRetention[] = await registry.listRetentions(where);
  const rule: SwrRetentionRule = policies[0].rules[0];
  const { id }: { id: number } = await registry.createRetention({
    ...where,
    algorithm: "or",
    rules: [{ template: "tag_rule", params: { num: "5" }, tagSelectors: [{ kind: "regexp", pattern: "^v2.*" }] }],
  });
  await registry.updateRetention({ ...where, retentionId: id, algorithm: "or", rules: [rule] });
  const shown: SwrRetention = await registry.showRetention({ ...where, retentionId: id });
  await registry.deleteRetention({ ...where, retentionId: shown.id });
  // @ts-expect-error the number is a string, as SWR writes it
  await registry.createRetention({ ...where, algorithm: "or", rules: [{ template: "tag_rule", params: { num: 5 } }] });
  // @ts-expect-error algorithm is "or"
  await registry.createRetention({ ...where, algorithm: "and", rules: [rule] });
  void [next, size, name];
}

export async function common(client: Client, scw: ScalewayRegistry, otc: SwrRegistry): Promise<void> {
  const repositories: TagRepository[] = [
    client.repository({ instanceId: "cri-1", repoId: "crr-1", namespaceName: "team", repoName: "web" }),
    scw.repository({ imageId: "8f0c2a6e-5d3b-4c1a-9e7f-0a1b2c3d4e5f" }),
    otc.repository({ namespace: "group", repository: "busybox" }),
  ];
  for (const repository of repositories) {
    const caps: TagCapabilities = repository.capabilities;
    const page: TagPage = await repository.listTags({ pageSize: 50, sort: { key: "created", descending: true } });
    const following = page.next ? await repository.listTags(page.next) : null;
    for await (const tag of repository.allTags({ pageSize: 100 })) {
      const size: bigint | undefined = tag.size;
      const created: number | undefined = tag.createdMs;
      void [size, created];
    }
    const tag: Tag = await repository.getTag(page.tags[0]);
    const byName: Tag = await repository.getTag("latest");
    const deleted: Tag | null = await repository.deleteTag(tag, { force: true });
    if (caps.create) {
      const copy: Tag = await repository.createTag("latest", "stable", { overwrite: true });
      void copy;
    }
    try {
      // @ts-expect-error sort keys are name, created or updated
      await repository.listTags({ sort: { key: "size" } });
    } catch (e) {
      const error = e as TagdeckError;
      const code: string = error.code;
      void code;
    }
    const provider: "alibaba" | "scaleway" | "swr" = repository.provider;
    void [following, byName, deleted, provider];
  }
}
