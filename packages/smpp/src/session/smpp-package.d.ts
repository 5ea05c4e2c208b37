/**
 * Ambient types for the parts of the npm `smpp` package (node-smpp 0.5.1,
 * CommonJS, untyped) that interop tests and benchmarks use. Library code never
 * imports it. Field names are node-smpp's snake_case spec names.
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Buffer } from 'node:buffer';
  import type { Server as NetServer, Socket } from 'node:net';

  namespace smpp {
    /** PDU fields and TLVs by their snake_case names. */
    type PduOptions = Record<string, unknown>;

    /** Called with the response PDU (or, for send callbacks, the PDU sent). */
    type PduCallback = (pdu: PDU) => void;

    /** A session's command shortcut, e.g. `session.submit_sm({ … }, (resp) => …)`. */
    type CommandShortcut = (
      options?: PduOptions | PduCallback,
      responseCallback?: PduCallback,
      sendCallback?: PduCallback,
    ) => boolean;

    /** A PDU: header fields, mandatory fields and TLVs as properties. */
    class PDU {
      constructor(command: string, options?: PduOptions);
      constructor(buffer: Buffer);
      command: string;
      command_length: number;
      command_id: number;
      command_status: number;
      sequence_number: number;
      [field: string]: unknown;
      isResponse(): boolean;
      /** The matching response (generic_nack for unknown commands), same sequence_number. */
      response(options?: PduOptions): PDU;
      toBuffer(): Buffer;
      static fromBuffer(buffer: Buffer): PDU | false;
      static maxLength: number;
    }

    /** Options of `connect()`; TLS options pass through to tls.connect. */
    interface ConnectOptions {
      url?: string;
      host?: string;
      port?: number;
      tls?: boolean;
      auto_enquire_link_period?: number;
      [option: string]: unknown;
    }

    /** A node-smpp session; emits 'pdu', each command name, 'connect', 'secureConnect', 'close', 'error', 'send'. */
    class Session extends EventEmitter {
      constructor(options: { socket: Socket } | ConnectOptions);
      socket: Socket;
      sequence: number;
      send(pdu: PDU, responseCallback?: PduCallback, sendCallback?: PduCallback): boolean;
      pause(): void;
      resume(): void;
      close(callback?: () => void): void;
      destroy(callback?: () => void): void;
      connect(): void;
      bind_transmitter: CommandShortcut;
      bind_receiver: CommandShortcut;
      bind_transceiver: CommandShortcut;
      submit_sm: CommandShortcut;
      deliver_sm: CommandShortcut;
      data_sm: CommandShortcut;
      query_sm: CommandShortcut;
      enquire_link: CommandShortcut;
      unbind: CommandShortcut;
      generic_nack: CommandShortcut;
    }

    /** A node-smpp server (a net.Server or tls.Server) with its open sessions. */
    interface Server extends NetServer {
      sessions: Session[];
    }

    function connect(options: ConnectOptions | string, listener?: () => void): Session;
    function createServer(options: Record<string, unknown>, listener?: (session: Session) => void): Server;
    function createServer(listener: (session: Session) => void): Server;

    /** command_status values by name. */
    const errors: Record<string, number>;
    /** Text encodings used for short_message ('ASCII' = GSM 03.38, 'LATIN1', 'UCS2'; `default` for DCS 0). */
    const encodings: Record<string, unknown> & { default: string };
    const ESME_ROK: number;
    const ESME_RINVBNDSTS: number;
    const ESME_RALYBND: number;
    const ESME_RBINDFAIL: number;
    const ESME_RINVPASWD: number;
    const ESME_RINVCMDID: number;
  }

  export = smpp;
}
