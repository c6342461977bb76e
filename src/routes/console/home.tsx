import { consoleSection } from "./section";

/** The console's first page. */
export const homeSection = consoleSection("Overview", "/console", (r) =>
  r.get("/console", (c) =>
    c.render(
      <>
        <h1>Overview</h1>
        <p>Every flow of Crossdock, its queues, consumers, sagas and dead letters.</p>
      </>,
      { title: "Overview", section: "/console" },
    ),
  ),
);
