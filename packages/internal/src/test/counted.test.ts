import { describe, expect, it } from "vitest";
import { counted, countedFetch } from "./counted.js";

describe("counted", () => {
  it("numbers each call from 1, passes the arguments on and counts the calls", () => {
    const double = counted((call, value: number) => [call, value * 2]);
    expect(double.count).toBe(0);
    expect([double(5), double(7)]).toEqual([
      [1, 10],
      [2, 14],
    ]);
    expect(double.count).toBe(2);
  });
});

describe("countedFetch", () => {
  it("answers with the call's number and its request, as a Request whatever it was given", async () => {
    const fetch = countedFetch(
      async (call, request) => new Response(`${call} ${request.method} ${request.url}`),
    );
    await expect((await fetch("https://api.test/a")).text()).resolves.toBe(
      "1 GET https://api.test/a",
    );
    const request = new Request("https://api.test/b", { method: "POST" });
    await expect((await fetch(request)).text()).resolves.toBe("2 POST https://api.test/b");
    expect(fetch.count).toBe(2);
  });

  it("rejects with what the answer throws", async () => {
    const failure = new TypeError("fetch failed");
    const fetch = countedFetch(() => {
      throw failure;
    });
    await expect(fetch("https://api.test/")).rejects.toBe(failure);
    expect(fetch.count).toBe(1);
  });
});
