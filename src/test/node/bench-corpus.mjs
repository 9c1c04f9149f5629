// Synthetic corpus for bench-compare.mjs: N made-up engineering memories from templates filled with
// varied vocabulary (services, technologies, people, regions, numbers), and for Q of them a target
// query in three forms:
//
//   paraphrase  a natural-language question written from the same template's slots, with other
//               wording than the memory (synonyms, question form); the names of things (service,
//               technology, region, person) stay, as they would in a real question
//   keyword     2-3 exact words of the memory, space-separated, not adjacent in the memory
//   phrase      a contiguous run of words copied from the memory (what a substring matcher needs)
//
// Each query has exactly one right answer: within a template, the slots a question names (its key)
// are unique across the whole corpus, so no other memory answers the same question. Everything is
// drawn from one seeded PRNG, so the same (n, q, seed) always gives the same corpus and queries.

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES = [
  'billing', 'checkout', 'inventory', 'search', 'auth', 'notifications', 'payments', 'shipping',
  'catalog', 'pricing', 'recommendations', 'analytics', 'reporting', 'onboarding', 'ledger',
  'invoicing', 'gateway', 'scheduler', 'webhooks', 'importer', 'exporter', 'profile', 'messaging',
  'subscriptions', 'refunds', 'loyalty', 'fulfillment', 'returns', 'tax', 'identity', 'audit',
  'telemetry', 'media', 'thumbnails', 'geocoding', 'routing', 'dispatch', 'warehouse', 'quotes',
  'contracts', 'payroll', 'timesheets', 'ticketing', 'chat', 'feeds', 'comments', 'moderation',
  'translation', 'sitemap', 'crawler',
];

const TECH = [
  'Kafka', 'RabbitMQ', 'Postgres', 'MySQL', 'Redis', 'Elasticsearch', 'Cassandra', 'MongoDB',
  'DynamoDB', 'S3', 'Memcached', 'NATS', 'Pulsar', 'ClickHouse', 'Snowflake', 'BigQuery', 'gRPC',
  'GraphQL', 'Nginx', 'Envoy', 'Istio', 'Consul', 'Vault', 'Terraform', 'Ansible', 'Jenkins',
  'ArgoCD', 'Helm', 'Prometheus', 'Grafana', 'Datadog', 'Sentry', 'Airflow', 'Spark', 'Flink',
  'Kubernetes', 'Zookeeper', 'etcd', 'MinIO', 'Celery',
];

const DATABASES = ['Postgres', 'MySQL', 'MariaDB', 'CockroachDB', 'Aurora', 'Oracle', 'SQL Server'];

const PEOPLE = [
  'Dana', 'Priya', 'Marcus', 'Elena', 'Tomasz', 'Aisha', 'Kenji', 'Sofia', 'Liam', 'Fatima',
  'Oliver', 'Chen', 'Ingrid', 'Rafael', 'Amara', 'Jonas', 'Yuki', 'Nadia', 'Diego', 'Hannah',
  'Mateo', 'Leila', 'Viktor', 'Grace', 'Omar', 'Freya', 'Arjun', 'Chloe', 'Emeka', 'Zara', 'Lukas',
  'Mei', 'Samuel', 'Anika', 'Pavel', 'Isabel', 'Kwame', 'Noor', 'Felix', 'Camila', 'Hiro', 'Lena',
  'Andre', 'Sana', 'Bruno', 'Maya', 'Tariq', 'Elif', 'Gabriel', 'Ruth', 'Stefan', 'Ines', 'Kofi',
  'Alma', 'Dmitri', 'Rosa', 'Ibrahim', 'Vera', 'Hugo', 'Keira', 'Ravi', 'Astrid', 'Malik', 'Tess',
  'Joao', 'Ada', 'Nikolai', 'Lucia', 'Sven', 'Wanjiru', 'Emil', 'Carmen', 'Yusuf', 'Greta', 'Ivan',
  'Paula', 'Kai', 'Selin', 'Tobias', 'Mirela',
];

const TEAMS = [
  'platform', 'growth', 'data', 'infra', 'mobile', 'web', 'security', 'sre', 'ml', 'finance',
  'risk', 'search-quality', 'developer-experience', 'observability', 'storage', 'networking',
  'identity', 'commerce', 'marketplace', 'logistics', 'support-tools', 'compliance', 'billing-ops',
  'partner', 'localization', 'design-systems', 'api', 'edge', 'release', 'qa',
];

const ENVS = ['staging', 'production', 'dev', 'qa', 'canary', 'sandbox'];
const ENV_WORDS = {
  staging: 'pre-release', production: 'live', dev: 'development', qa: 'test', canary: 'canary',
  sandbox: 'sandbox',
};
const REGIONS = [
  'us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-south-1', 'ap-northeast-1',
  'sa-east-1', 'ca-central-1', 'af-south-1', 'me-south-1',
];
const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December',
];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const PLANS = ['free', 'starter', 'pro', 'team', 'enterprise', 'partner', 'internal', 'trial'];
const TESTS = [
  'login', 'signup', 'password-reset', 'refund', 'bulk-import', 'export-csv', 'webhook-retry',
  'cart-merge', 'coupon', 'currency-rounding', 'timezone', 'pagination', 'search-ranking',
  'rate-limit', 'session-expiry', 'file-upload', 'email-template', 'sso', 'two-factor',
  'audit-log', 'invoice-pdf', 'address-validation', 'tax-calculation', 'inventory-sync',
  'price-update', 'order-cancel', 'subscription-renewal', 'push-delivery', 'locale-fallback',
  'cache-invalidation', 'retry-budget', 'schema-migration', 'report-scheduling', 'gdpr-erasure',
  'thumbnail-resize', 'geo-lookup', 'chat-history', 'feed-ordering', 'comment-thread', 'sitemap',
];
const TOPICS = [
  'code', 'design', 'security', 'API', 'schema', 'UI', 'database', 'performance', 'accessibility',
  'documentation', 'test', 'architecture', 'infrastructure', 'migration', 'logging', 'naming',
  'dependency', 'release', 'incident', 'pricing', 'copy', 'privacy', 'mobile', 'analytics',
  'onboarding', 'localization', 'caching', 'monitoring', 'build', 'frontend',
];
const PREFS = [
  ['short written comments', 'long video walkthroughs'],
  ['a call before the written review', 'surprise comments on Friday'],
  ['numbered lists of issues', 'inline nitpicks'],
  ['async threads in Slack', 'meetings'],
  ['small pull requests', 'giant diffs'],
  ['diagrams in the description', 'walls of text'],
  ['blunt feedback', 'vague praise'],
  ['suggested patches', 'open questions without proposals'],
];
const FEATURES = [
  'checkout', 'onboarding', 'search-bar', 'dashboard', 'settings', 'invoice', 'cart', 'profile',
  'notification-center', 'signup', 'pricing-page', 'export', 'reporting', 'sharing', 'comments',
  'bulk-edit', 'dark-mode', 'referral', 'wishlist', 'tracking', 'returns', 'chat', 'calendar',
  'file-picker', 'permissions', 'audit-view', 'api-keys', 'billing-portal', 'team-invite',
  'activity-feed',
];
const TECH_REASONS = [
  'it handled our write volume in the load test',
  'the team already knew it well',
  'its managed offering was cheaper',
  'it had better client libraries for Java',
  'the licence was acceptable to legal',
  'it supported multi-region replication out of the box',
  'operating it needed fewer people',
  'its latency stayed flat under load',
];

const pad = (n, w) => String(n).padStart(w, '0');
/** English possessive: "billing's", "payments'". */
const poss = (w) => (w.endsWith('s') ? `${w}'` : `${w}'s`);

/**
 * Templates. Each `make(r)` draws slots and returns { memory, key, paraphrase, keyword, phrase }:
 * key names the slots the paraphrase asks about (unique per template across the corpus); keyword
 * lists 2-3 words that occur verbatim in the memory; phrase is a verbatim, contiguous part of it.
 */
const TEMPLATES = [
  {
    name: 'retry',
    make: (r) => {
      const svc = r.pick(SERVICES), tech = r.pick(TECH);
      const n = r.int(2, 9), tk = r.int(1000, 9999);
      return {
        key: [svc, tech],
        memory: `The ${svc} service retries failed ${tech} publishes ${n} times with exponential backoff (ticket ${tk}).`,
        paraphrase: `how many attempts does ${svc} make before it gives up on sending to ${tech}?`,
        keyword: [svc, tech, 'backoff'],
        phrase: `${svc} service retries failed ${tech}`,
      };
    },
  },
  {
    name: 'oncall',
    make: (r) => {
      const svc = r.pick(SERVICES), tech = r.pick(TECH), month = r.pick(MONTHS);
      const person = r.pick(PEOPLE);
      return {
        key: [svc, tech, month],
        memory: `${person} is on call for the ${svc} ${tech} pipeline during the ${month} release freeze.`,
        paraphrase: `who gets paged about ${poss(svc)} ${tech} jobs while deploys are frozen in ${month}?`,
        keyword: [person, svc, 'freeze'],
        phrase: `the ${svc} ${tech} pipeline during the ${month}`,
      };
    },
  },
  {
    name: 'timeout',
    make: (r) => {
      const svc = r.pick(SERVICES), tech = r.pick(TECH);
      const ms = r.int(2, 60) * 250, tk = r.int(100, 999);
      return {
        key: [svc, tech],
        memory: `Requests from ${svc} to ${tech} time out after ${ms} milliseconds; the limit was raised after incident INC-${tk}.`,
        paraphrase: `what is the deadline before a ${svc} call into ${tech} is abandoned?`,
        keyword: [svc, tech, 'milliseconds'],
        phrase: `from ${svc} to ${tech} time out`,
      };
    },
  },
  {
    name: 'upgrade',
    make: (r) => {
      const svc = r.pick(SERVICES), tech = r.pick(TECH), month = r.pick(MONTHS);
      const ver = `${r.int(1, 9)}.${r.int(0, 20)}.${r.int(0, 9)}`;
      return {
        key: [svc, tech],
        memory: `We upgraded ${tech} to version ${ver} for the ${svc} team in ${month}, which fixed the memory leak.`,
        paraphrase: `which release of ${tech} does ${svc} run now that the leak is gone?`,
        keyword: [tech, svc, 'leak'],
        phrase: `${tech} to version ${ver} for the ${svc} team`,
      };
    },
  },
  {
    name: 'dashboard',
    make: (r) => {
      const svc = r.pick(SERVICES), tech = r.pick(TECH);
      const team = r.pick(TEAMS), person = r.pick(PEOPLE);
      return {
        key: [svc, tech],
        memory: `The ${svc} ${tech} latency dashboard lives in the ${team} Grafana folder and is maintained by ${person}.`,
        paraphrase: `where do I find the response-time graphs for ${poss(svc)} use of ${tech}, and who looks after them?`,
        keyword: [svc, tech, 'dashboard'],
        phrase: `${svc} ${tech} latency dashboard`,
      };
    },
  },
  {
    name: 'deploy-window',
    make: (r) => {
      const svc = r.pick(SERVICES), env = r.pick(ENVS), region = r.pick(REGIONS);
      const day = r.pick(DAYS), hour = r.int(6, 20), person = r.pick(PEOPLE);
      return {
        key: [svc, env, region],
        memory: `${svc} deploys to ${env} in ${region} only on ${day}s after ${pad(hour, 2)}:00 UTC, per ${poss(person)} rule.`,
        paraphrase: `when am I allowed to ship ${svc} to the ${ENV_WORDS[env]} environment in ${region}?`,
        keyword: [svc, region, 'deploys'],
        phrase: `${svc} deploys to ${env} in ${region}`,
      };
    },
  },
  {
    name: 'database',
    make: (r) => {
      const svc = r.pick(SERVICES), env = r.pick(ENVS), region = r.pick(REGIONS);
      const db = r.pick(DATABASES), ver = r.int(9, 17), host = `db-${r.int(1, 99)}`;
      return {
        key: [svc, env, region],
        memory: `The ${env} database for ${svc} in ${region} is ${db} ${ver} on ${host}.internal.`,
        paraphrase: `which SQL engine and host keep ${poss(svc)} ${ENV_WORDS[env]} data in ${region}?`,
        keyword: [svc, env, region],
        phrase: `database for ${svc} in ${region}`,
      };
    },
  },
  {
    name: 'rate-limit',
    make: (r) => {
      const svc = r.pick(SERVICES), plan = r.pick(PLANS), region = r.pick(REGIONS);
      const n = r.int(1, 120) * 50;
      return {
        key: [svc, plan, region],
        memory: `The ${svc} public API in ${region} is rate-limited to ${n} requests per minute for ${plan} customers.`,
        paraphrase: `how much traffic may ${/^[aeiou]/.test(plan) ? 'an' : 'a'} ${plan} client send to ${svc} in ${region} before it gets throttled?`,
        keyword: [svc, plan, 'rate-limited'],
        phrase: `${svc} public API in ${region}`,
      };
    },
  },
  {
    name: 'flaky-test',
    make: (r) => {
      const svc = r.pick(SERVICES), test = r.pick(TESTS);
      const tech = r.pick(TECH), person = r.pick(PEOPLE);
      return {
        key: [svc, test],
        memory: `The ${test} test in ${svc} is flaky because of a race in the ${tech} client; ${person} is fixing it.`,
        paraphrase: `why does the ${test} check of ${svc} fail only some of the time?`,
        keyword: [test, svc, 'flaky'],
        phrase: `${test} test in ${svc} is flaky`,
      };
    },
  },
  {
    name: 'decision',
    make: (r) => {
      const svc = r.pick(SERVICES), tech = r.pick(TECH);
      let tech2 = r.pick(TECH);
      while (tech2 === tech) tech2 = r.pick(TECH);
      const reason = r.pick(TECH_REASONS);
      return {
        key: [svc, tech, tech2],
        memory: `We chose ${tech} over ${tech2} for ${svc} because ${reason}.`,
        paraphrase: `what made ${svc} go with ${tech} instead of ${tech2}?`,
        keyword: [tech, tech2, svc],
        phrase: `${tech} over ${tech2} for ${svc}`,
      };
    },
  },
  {
    name: 'cost',
    make: (r) => {
      const svc = r.pick(SERVICES), tech = r.pick(TECH), region = r.pick(REGIONS);
      const usd = r.int(2, 400) * 100, person = r.pick(PEOPLE);
      return {
        key: [svc, tech, region],
        memory: `${svc} spends about $${usd} per month on ${tech} in ${region}; ${person} is looking into reserved capacity.`,
        paraphrase: `what does ${poss(svc)} ${tech} usage in ${region} cost us each month?`,
        keyword: [svc, tech, 'reserved'],
        phrase: `${svc} spends about $${usd}`,
      };
    },
  },
  {
    name: 'review-preference',
    make: (r) => {
      const person = r.pick(PEOPLE), topic = r.pick(TOPICS);
      const [likes, dislikes] = r.pick(PREFS);
      return {
        key: [person, topic],
        memory: `${person} prefers ${likes} for ${topic} reviews and dislikes ${dislikes}.`,
        paraphrase: `how does ${person} want to receive feedback on ${topic} work?`,
        keyword: [person, topic, 'reviews'],
        phrase: `${person} prefers ${likes} for ${topic}`,
      };
    },
  },
  {
    name: 'meeting',
    make: (r) => {
      const team = r.pick(TEAMS), person = r.pick(PEOPLE);
      const day = r.pick(DAYS), hour = r.int(8, 17), room = `${r.pick(['A', 'B', 'C', 'D'])}${r.int(100, 499)}`;
      return {
        key: [team, person],
        memory: `The ${team} team's sync with ${person} happens every ${day} at ${pad(hour, 2)}:30 in room ${room}.`,
        paraphrase: `when and where does the ${team} group get together with ${person} each week?`,
        keyword: [team, person, 'sync'],
        phrase: `${team} team's sync with ${person}`,
      };
    },
  },
  {
    name: 'outage',
    make: (r) => {
      const svc = r.pick(SERVICES), tech = r.pick(TECH), region = r.pick(REGIONS);
      const minutes = r.int(3, 240), tk = r.int(1000, 9999);
      return {
        key: [svc, tech, region],
        memory: `Incident ${tk}: ${svc} went down in ${region} for ${minutes} minutes because the ${tech} certificate expired.`,
        paraphrase: `how long was ${svc} offline in ${region} when the ${tech} cert ran out?`,
        keyword: [svc, region, 'certificate'],
        phrase: `${svc} went down in ${region}`,
      };
    },
  },
  {
    name: 'feature-flag',
    make: (r) => {
      const svc = r.pick(SERVICES), feature = r.pick(FEATURES), pct = r.int(1, 99);
      const flag = `${svc}_${feature.replace(/-/g, '_')}_v${r.int(2, 5)}`;
      return {
        key: [svc, feature],
        memory: `The feature flag ${flag} enables the new ${feature} flow in ${svc} and is at ${pct}% rollout.`,
        paraphrase: `what share of users see the redesigned ${feature} experience in ${svc} so far?`,
        keyword: [feature, svc, 'rollout'],
        phrase: `new ${feature} flow in ${svc}`,
      };
    },
  },
  {
    name: 'backup',
    make: (r) => {
      const svc = r.pick(SERVICES), tech = r.pick(TECH);
      const hour = r.int(0, 23), days = r.pick([7, 14, 30, 35, 60, 90, 180, 365]);
      return {
        key: [svc, tech],
        memory: `Backups of the ${svc} ${tech} store run nightly at ${pad(hour, 2)}:00 UTC and are kept for ${days} days.`,
        paraphrase: `how long do we retain snapshots of ${poss(svc)} ${tech} data, and at what time are they taken?`,
        keyword: [svc, tech, 'nightly'],
        phrase: `Backups of the ${svc} ${tech} store`,
      };
    },
  },
  {
    name: 'alert',
    make: (r) => {
      const svc = r.pick(SERVICES), tech = r.pick(TECH), n = r.int(1, 200) * 500;
      return {
        key: [svc, tech],
        memory: `${svc} alerts fire when ${tech} consumer lag exceeds ${n} messages for five minutes.`,
        paraphrase: `at what backlog size does ${svc} get paged about ${tech}?`,
        keyword: [svc, tech, 'alerts'],
        phrase: `${svc} alerts fire when ${tech} consumer lag`,
      };
    },
  },
  {
    name: 'local-config',
    make: (r) => {
      const svc = r.pick(SERVICES), tech = r.pick(TECH);
      const v = `${svc.toUpperCase()}_${tech.toUpperCase().replace(/[^A-Z0-9]/g, '')}_URL`;
      const port = r.int(1024, 65000);
      return {
        key: [svc, tech],
        memory: `Set ${v}=localhost:${port} when running ${svc} locally, otherwise it cannot reach ${tech}.`,
        paraphrase: `what environment variable does ${svc} need on a laptop to connect to ${tech}?`,
        keyword: [svc, tech, 'locally'],
        phrase: `when running ${svc} locally`,
      };
    },
  },
];

/** A small random helper over one PRNG. */
function rng(seed) {
  const next = prng(seed);
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
  };
}

/**
 * Builds the corpus: `n` memories (unique text; unique key within each template) and `q` targets,
 * each with its three query forms. Returns { memories: [{i, template, text}], queries: [{target,
 * template, paraphrase, keyword, phrase}] }.
 */
export function buildCorpus(n, q, seed = 42) {
  const r = rng(seed);
  const keys = new Set();
  const texts = new Set();
  const memories = [];
  while (memories.length < n) {
    const t = TEMPLATES[memories.length % TEMPLATES.length];
    let made;
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const m = t.make(r);
      const key = `${t.name}|${m.key.join('|').toLowerCase()}`;
      if (!keys.has(key) && !texts.has(m.memory)) {
        keys.add(key);
        texts.add(m.memory);
        made = m;
        break;
      }
    }
    if (!made) {
      throw new Error(`template ${t.name}: no unused slot combination left at ${memories.length}`);
    }
    check(t.name, made);
    memories.push({ i: memories.length, template: t.name, text: made.memory, made });
  }
  // Q distinct targets, drawn from the whole corpus (a partial Fisher-Yates shuffle).
  const order = memories.map((m) => m.i);
  const count = Math.min(q, n);
  for (let k = 0; k < count; k++) {
    const j = k + Math.floor(r.next() * (order.length - k));
    [order[k], order[j]] = [order[j], order[k]];
  }
  const queries = order.slice(0, count).map((i) => {
    const m = memories[i];
    return {
      target: i,
      template: m.template,
      paraphrase: m.made.paraphrase,
      keyword: m.made.keyword.join(' '),
      phrase: m.made.phrase,
    };
  });
  return { memories: memories.map(({ i, template, text }) => ({ i, template, text })), queries };
}

/** Template sanity: keywords are words of the memory, the phrase is a verbatim part of it. */
function check(name, m) {
  const words = new Set(m.memory.split(/[\s.,;:()]+/));
  for (const w of m.keyword) {
    if (!words.has(w)) throw new Error(`template ${name}: keyword "${w}" not a word of: ${m.memory}`);
  }
  if (!m.memory.includes(m.phrase)) {
    throw new Error(`template ${name}: phrase "${m.phrase}" not in: ${m.memory}`);
  }
  if (m.memory.toLowerCase().includes(m.keyword.join(' ').toLowerCase())) {
    throw new Error(`template ${name}: keywords "${m.keyword.join(' ')}" adjacent in: ${m.memory}`);
  }
}

export const TEMPLATE_COUNT = TEMPLATES.length;
