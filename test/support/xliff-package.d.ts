/** The few functions of the `xliff` npm package the tests use (it ships no types). */
declare module 'xliff' {
  interface XliffJs {
    sourceLanguage?: string;
    targetLanguage?: string;
    resources: Record<string, Record<string, { source: unknown; target?: unknown; [k: string]: unknown }>>;
  }
  const xliff: {
    xliff2js(xml: string): Promise<XliffJs>;
    js2xliff(js: XliffJs, opts?: { indent?: string }): Promise<string>;
    xliff12ToJs(xml: string): Promise<XliffJs>;
    jsToXliff12(js: XliffJs, opts?: { indent?: string }): Promise<string>;
  };
  export default xliff;
}

/** The part of `ilib-xliff` (a second independent XLIFF implementation) the tests use. */
declare module 'ilib-xliff' {
  interface IlibUnit {
    key?: string;
    source: string;
    target?: string;
    state?: string;
  }
  export class Xliff {
    constructor(opts: { version: number });
    deserialize(xml: string): void;
    getTranslationUnits(): IlibUnit[];
  }
}
