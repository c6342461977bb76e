import { eventStream } from "../../platform/http/event-stream";
import { errorFields } from "../../platform/observability/logger";
import { readFlowFigures, readFlowHistory } from "./overview/figures";
import { FlowsHead, FlowsPage } from "./overview/flows-page";
import { followFlows, LIVE_FLOWS_PATH } from "./overview/live";
import { consoleSection } from "./section";

/**
 * The console's first page, "Flows at a glance" (src/routes/console/overview/), and the live stream
 * that keeps its figures and charts moving.
 */
export const homeSection = consoleSection("Overview", "/console", (r) =>
  r
    .get("/console", async (c) => {
      const now = c.var.clock.now();
      const [figures, history] = await Promise.all([
        readFlowFigures(c.env, now),
        readFlowHistory(c.env, now),
      ]);
      return c.render(<FlowsPage figures={figures} history={history} />, {
        title: "Overview",
        section: "/console",
        head: <FlowsHead />,
      });
    })
    .get(LIVE_FLOWS_PATH, (c) =>
      eventStream(c, false, (stream) =>
        // A failed read ends the stream; the page's EventSource reconnects. The status line is already
        // sent, so the error is logged rather than answered.
        followFlows(stream, c.env, c.var.clock).catch((err: unknown) =>
          c.get("log").error("console.flows-stream.failed", errorFields(err)),
        ),
      ),
    ),
);
