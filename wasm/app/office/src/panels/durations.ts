// How long wishes wait: collection to claim, collection to resolution (median, 90th
// percentile, and how many fall in each span of hours).

import { h } from "../../../src/ui/dom.js";
import { t } from "../../../src/i18n.js";
import { bars } from "../charts.js";
import type { Ctx } from "../context.js";
import { card } from "../table.js";
import { hours, num, tf } from "../text.js";
import type { Bucket, Duration, Durations } from "../types.js";

export async function durations(ctx: Ctx): Promise<HTMLElement> {
  const figures = await ctx.api.get<Durations>("durations", ctx.query);
  return card(
    "durations",
    t("officeDurations"),
    h("div", { class: "two" },
      one("claim", t("durationClaim"), figures.time_to_claim),
      one("resolve", t("durationResolve"), figures.time_to_resolve)),
  );
}

function one(id: string, title: string, duration: Duration): HTMLElement {
  // Leading and trailing empty spans say nothing; keep the ones from the first to the last filled.
  const first = duration.buckets.findIndex((b) => b.count > 0);
  const last = duration.buckets.length - 1 - [...duration.buckets].reverse().findIndex((b) => b.count > 0);
  const shown = first < 0 ? [] : duration.buckets.slice(first, last + 1);
  const chart = bars(shown.map(bucketLabel), [{ label: title, values: shown.map((b) => b.count) }]);
  chart.id = `chart-${id}`;
  return h("div", { class: "duration", "data-duration": id },
    h("h3", {}, title),
    h("p", { class: "muted" }, tf("durationStats", { p50: hours(duration.p50_hours), p90: hours(duration.p90_hours), n: num(duration.count) })),
    h("div", { class: "chart-box small" }, chart));
}

function bucketLabel(bucket: Bucket): string {
  if (bucket.to_hours === null) return tf("bucketOver", { from: bucket.from_hours });
  if (bucket.from_hours === 0) return tf("bucketUnder", { to: bucket.to_hours });
  return tf("bucketBetween", { from: bucket.from_hours, to: bucket.to_hours });
}
