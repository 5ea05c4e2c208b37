/**
 * SmppSession: one SMPP 3.4 session over a byte stream (net.Socket or
 * tls.TLSSocket), the same engine for both ends (`role` 'server' = MC,
 * 'client' = ESME). It frames and decodes PDUs, numbers our requests and
 * matches their responses, enforces the outbound window and the inbound
 * window (backpressure), keeps the link alive with enquire_link, runs the
 * bind-state machine (spec §2.2, §2.3) and the unbind handshake, and turns
 * every way the socket can end into one 'close' event with a reason.
 *
 * Never throws from socket events and never leaves a promise of its own
 * unhandled: socket errors become a close reason, pending requests reject with
 * typed errors. Listener exceptions are the application's (like any emitter).
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { CommandId, commandNameOf, isResponseId, type CommandName } from '../constants/command-id.ts';
import { CommandStatus } from '../constants/command-status.ts';
import { PduDecodeError } from '../errors.ts';
import { createPdu, type PduInit } from '../pdu/create.ts';
import { decodePdu } from '../pdu/decode.ts';
import { encodePdu, type EncodeOptions } from '../pdu/encode.ts';
import {
  createGenericNack,
  createResponse,
  hasResponse,
  responseCommandOf,
  type RequestWithResponse,
  type ResponseCommandOf,
  type ResponseInit,
} from '../pdu/respond.ts';
import type { BindBody, Pdu, PduByCommand, PduHeader, Unbind } from '../pdu/types.ts';
import type { CloseCode, CloseReason } from './close-reason.ts';
import { FrameDecoder } from './frame-decoder.ts';
import { IdleTimer } from './idle-timer.ts';
import { InboundRequests } from './inbound-requests.ts';
import { OutboundWindow, type OutboundRequest } from './outbound-window.ts';
import { SequenceGenerator } from './sequence.ts';
import {
  BindRejectedError,
  FramingError,
  GenericNackError,
  InvalidStateError,
  NoPendingRequestError,
  ResponseTimeoutError,
  SessionClosedError,
  UnexpectedResponseError,
  WindowFullError,
} from './session-errors.ts';
import type {
  BindRequestPdu,
  InboundRequestPdu,
  RequestCommand,
  RequestOptions,
  SmppSessionEvents,
} from './session-events.ts';
import {
  resolveSessionOptions,
  type ResolvedSessionOptions,
  type SessionOptions,
} from './session-options.ts';
import {
  bindCommandOf,
  boundStateOf,
  isBindCommand,
  isBound,
  requestStatus,
  type BindCommand,
  type BindType,
  type SessionRole,
  type SessionState,
} from './session-state.ts';

/** Options of `new SmppSession()`: the role plus the tuning in SessionOptions. */
export interface SmppSessionOptions extends SessionOptions {
  /** 'server' for the MC end (answers binds), 'client' for the ESME end (sends binds). */
  role: SessionRole;
}

/** The bind_*_resp PDUs. */
export type BindResponsePdu = PduByCommand[ResponseCommandOf<BindCommand>];

/** Requests that bypass the outbound window (a keep-alive must not wait behind stalled submits). */
const CONTROL_COMMANDS: ReadonlySet<CommandName> = new Set(['enquire_link', 'unbind']);

type Timer = ReturnType<typeof setTimeout>;

/** An SMPP session over a connected socket. Create it as soon as the socket is connected. */
/** An inbound request that has a response to answer it with. */
type RejectableRequest = PduByCommand[RequestWithResponse] & PduHeader<RequestWithResponse>;

export class SmppSession extends EventEmitter<SmppSessionEvents> {
  /** Which end of the link this session is. */
  readonly role: SessionRole;
  /** The transport. */
  readonly socket: Duplex;
  /** The options in force, defaults applied. */
  readonly options: ResolvedSessionOptions;
  /** Resolves with the reason once the session has closed; never rejects. */
  readonly closed: Promise<CloseReason>;

  private readonly peerRole: SessionRole;
  private readonly encodeOptions: EncodeOptions;
  private readonly decoder: FrameDecoder;
  private readonly window: OutboundWindow;
  private readonly sequence = new SequenceGenerator();
  private readonly inbound = new InboundRequests();
  private readonly resolveClosed: (reason: CloseReason) => void;

  private currentState: SessionState = 'open';
  /** The bound state before unbinding started (judges requests that crossed the unbind). */
  private boundState: SessionState | undefined;
  private reason: CloseReason | undefined;
  /** Server side: the bind request the application has not answered yet. */
  private pendingBind: { sequenceNumber: number; command: BindCommand } | undefined;
  /** Client side: our bind awaits its response. */
  private bindInFlight = false;
  private localUnbinding = false;
  private peerUnbind: Unbind | undefined;
  private enquireLinkInFlight = false;

  private pumping = false;
  private readPaused = false;
  /** socket.write() returned false: requests wait for 'drain'. */
  private writeBlocked = false;
  /** More than writeBufferLimit bytes, or more than the write count limit, queued: reading waits until they are written. */
  private writeBackedUp = false;
  /** Our writes not yet handed to the kernel (their callbacks not yet called). */
  private unflushedWrites = 0;
  /** Server side: PDUs received before bind. */
  private unboundPdus = 0;
  private corked = false;
  private lastInbound = performance.now();

  private keepAlive: IdleTimer | undefined;
  private inactivity: IdleTimer | undefined;
  private bindTimer: Timer | undefined;
  private unbindTimer: Timer | undefined;
  private graceTimer: Timer | undefined;

  constructor(socket: Duplex, options: SmppSessionOptions) {
    super();
    this.role = options.role;
    this.peerRole = options.role === 'server' ? 'client' : 'server';
    this.options = resolveSessionOptions(options.role, options);
    this.socket = socket;
    this.encodeOptions = { errorResponseBody: this.options.errorResponseBody };
    // Server side, until bound, only small PDUs are expected (session-options.ts).
    const { maxCommandLength, unboundMaxCommandLength } = this.options;
    this.decoder = new FrameDecoder({
      maxCommandLength:
        this.role === 'server' ? Math.min(maxCommandLength, unboundMaxCommandLength) : maxCommandLength,
    });
    this.window = new OutboundWindow(this.options.windowSize, this.options.maxQueuedRequests);
    const { promise, resolve } = Promise.withResolvers<CloseReason>();
    this.closed = promise;
    this.resolveClosed = resolve;

    socket.on('data', this.onData);
    socket.on('drain', this.onDrain);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);

    const { enquireLinkInterval, inactivityTimeout, bindTimeout } = this.options;
    if (enquireLinkInterval > 0) {
      this.keepAlive = new IdleTimer(enquireLinkInterval, this.idleFor, this.onKeepAlive);
    }
    if (inactivityTimeout > 0) {
      // Time spent with reading paused by us is not the peer's inactivity.
      const idleFor = (): number => (this.readPaused ? 0 : this.idleFor());
      this.inactivity = new IdleTimer(inactivityTimeout, idleFor, this.onInactive);
    }
    if (bindTimeout > 0 && this.role === 'server') this.bindTimer = unrefTimer(bindTimeout, this.onBindTimer);
    if (socket.destroyed) {
      process.nextTick(() => {
        this.finalize({ code: 'peer-ended' });
      });
    }
  }

  /** The session's state. */
  get state(): SessionState {
    return this.currentState;
  }

  /** Why the session closed; undefined while open. */
  get closeReason(): CloseReason | undefined {
    return this.reason;
  }

  /** Our requests sent and not yet answered. */
  get inFlightRequests(): number {
    return this.window.inFlightCount;
  }

  /** Our requests waiting for a window slot or for the socket to drain. */
  get queuedRequests(): number {
    return this.window.queuedCount;
  }

  /** The peer's requests the application has not answered yet. */
  get pendingInbound(): number {
    return this.inbound.count;
  }

  /** True while reading is paused (inbound window full, or our answers are not being read). */
  get readingPaused(): boolean {
    return this.readPaused;
  }

  /**
   * Sends a request and resolves with its response, whatever its
   * commandStatus (the caller decides). Assigns `pdu.sequenceNumber`. Waits in
   * FIFO order while the outbound window is full.
   * Rejects with InvalidStateError (not allowed in this bind state),
   * WindowFullError (window and queue full), ResponseTimeoutError,
   * GenericNackError (the peer answered generic_nack), SessionClosedError,
   * PduEncodeError (invalid field) or PduDecodeError (unreadable response).
   */
  request<C extends RequestCommand>(
    pdu: PduByCommand[C] & PduHeader<C>,
    options: RequestOptions = {},
  ): Promise<PduByCommand[ResponseCommandOf<C>]> {
    if (this.reason !== undefined) return Promise.reject(new SessionClosedError(this.reason));
    const command: CommandName = pdu.command;
    let status: number = requestStatus(this.role, this.currentState, command);
    if (status === CommandStatus.ESME_ROK && isBindCommand(command) && this.bindInFlight) {
      status = CommandStatus.ESME_RALYBND;
    }
    if (status !== CommandStatus.ESME_ROK || this.localUnbinding) {
      return Promise.reject(
        new InvalidStateError(
          status === CommandStatus.ESME_ROK ? CommandStatus.ESME_RINVBNDSTS : status,
          `cannot send ${command} in state ${this.currentState}`,
        ),
      );
    }
    const response = this.sendRequest(pdu, options.timeout ?? this.options.responseTimeout);
    if (isBindCommand(command)) {
      this.bindInFlight = true;
      const done = (): void => {
        this.bindInFlight = false;
      };
      response.then(done, done);
    }
    return response as Promise<PduByCommand[ResponseCommandOf<C>]>;
  }

  /**
   * Client side: sends bind_<type> with the fields in `init` (interface_version
   * 0x34 unless given) and resolves with the bind_*_resp once bound. Rejects
   * with BindRejectedError carrying the peer's status when it refuses, or as
   * `request()` does.
   */
  async bind(type: BindType, init: Partial<BindBody>): Promise<BindResponsePdu> {
    const pdu = createPdu(bindCommandOf(type), init as PduInit<BindCommand>);
    const response = await this.request(pdu);
    if (response.commandStatus !== CommandStatus.ESME_ROK) {
      throw new BindRejectedError(pdu.command, response.commandStatus);
    }
    return response;
  }

  /**
   * Answers an inbound request: `response` carries the request's
   * sequence_number (see `createResponse`). A successful bind_*_resp binds the
   * session. Returns false, sending nothing, once the session is closed (the
   * peer left while the application was busy).
   * @throws NoPendingRequestError when no request with that sequence_number awaits an answer.
   * @throws PduEncodeError when a field is invalid; the request stays pending.
   */
  respond(response: Pdu): boolean {
    if (this.reason !== undefined) return false;
    const sequenceNumber = response.sequenceNumber;
    if (!isResponseId(CommandId[response.command]) || !this.inbound.has(sequenceNumber)) {
      throw new NoPendingRequestError(response.command, sequenceNumber);
    }
    const bytes = encodePdu(response, this.encodeOptions);
    this.inbound.remove(sequenceNumber);
    const bind = this.pendingBind;
    if (bind?.sequenceNumber === sequenceNumber) {
      this.pendingBind = undefined;
      if (
        response.commandStatus === CommandStatus.ESME_ROK &&
        response.command === responseCommandOf(bind.command) &&
        this.currentState === 'open'
      ) {
        this.setState(boundStateOf(bind.command));
      }
    }
    this.write(bytes);
    this.afterInboundAnswered();
    return true;
  }

  /** Answers `request` with its response: `commandStatus` (default ESME_ROK) and the fields in `init`. See `respond()`. */
  reply<C extends RequestWithResponse>(
    request: PduByCommand[C] & PduHeader<C>,
    commandStatus: number = CommandStatus.ESME_ROK,
    init?: ResponseInit<C>,
  ): boolean {
    return this.respond(createResponse(request, commandStatus, init));
  }

  /**
   * Answers an inbound request with its response carrying only `commandStatus`,
   * e.g. ESME_RINVCMDID for a command the application does not support.
   * alert_notification has no response: returns false and sends nothing.
   */
  reject(request: InboundRequestPdu, commandStatus: number): boolean {
    if (request.command === 'alert_notification') return false;
    return this.respond(createResponse(request as RejectableRequest, commandStatus));
  }

  /**
   * The unbind handshake (spec §4.2): stops sending new requests (queued ones
   * reject with SessionClosedError), sends unbind, keeps answering what is
   * pending, and closes once unbind_resp arrives or `timeout` (default the
   * response timeout) passes. Resolves with the close reason; never rejects.
   */
  unbind(options: { timeout?: number } = {}): Promise<CloseReason> {
    if (this.reason !== undefined || this.localUnbinding || this.peerUnbind !== undefined) return this.closed;
    this.localUnbinding = true;
    this.beginUnbinding('local-unbind');
    this.sendRequest(createPdu('unbind'), options.timeout ?? this.options.responseTimeout).then(
      () => {
        this.shutdown({ code: 'local-unbind' });
      },
      (error: unknown) => {
        this.shutdown({ code: 'local-unbind', error: asError(error) });
      },
    );
    return this.closed;
  }

  /**
   * Ends gracefully without unbind (e.g. after refusing a bind): what was
   * written is flushed, then the socket ends; destroyed after `closeGrace`
   * if the peer lingers. Pending requests reject with SessionClosedError.
   */
  end(): void {
    this.shutdown({ code: 'local-close' });
  }

  /** Closes at once (the socket is destroyed); pending requests reject with SessionClosedError. */
  close(error?: Error): void {
    if (this.reason !== undefined) return;
    this.finalize(error === undefined ? { code: 'local-close' } : { code: 'local-close', error });
    this.socket.destroy();
  }

  // ---- outbound ----------------------------------------------------------

  /** Numbers, encodes and queues (or, for control requests, sends) a request. */
  private sendRequest(pdu: Pdu, timeout: number): Promise<Pdu> {
    let sequenceNumber = this.sequence.next();
    while (this.window.isInFlight(sequenceNumber)) sequenceNumber = this.sequence.next();
    pdu.sequenceNumber = sequenceNumber;
    let bytes: Uint8Array;
    try {
      bytes = encodePdu(pdu);
    } catch (error) {
      return Promise.reject(asError(error));
    }
    const { promise, resolve, reject } = Promise.withResolvers<Pdu>();
    const request: OutboundRequest = {
      command: pdu.command,
      sequenceNumber,
      bytes,
      timeout,
      windowed: !CONTROL_COMMANDS.has(pdu.command),
      resolve,
      reject,
      timer: undefined,
    };
    if (!request.windowed) {
      this.window.track(request);
      this.transmit(request);
    } else if (this.window.enqueue(request)) {
      this.flush();
    } else {
      return Promise.reject(new WindowFullError(this.window.size, this.window.maxQueued));
    }
    return promise;
  }

  /** Sends queued requests while the window has room and the socket takes more. */
  private flush(): void {
    while (!this.writeBlocked && this.reason === undefined) {
      const request = this.window.nextToSend();
      if (request === undefined) return;
      this.transmit(request);
    }
  }

  private transmit(request: OutboundRequest): void {
    request.timer = setTimeout(this.onResponseTimeout, request.timeout, request.sequenceNumber);
    request.timer.unref();
    this.write(request.bytes);
  }

  /** Writes, batching the writes of one tick into one syscall (cork until nextTick). */
  private write(bytes: Uint8Array): void {
    const socket = this.socket;
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(this.uncork);
    }
    this.unflushedWrites++;
    if (!socket.write(bytes, this.onWritten)) {
      this.writeBlocked = true;
      if (!this.writeBackedUp && socket.writableLength > this.options.writeBufferLimit) {
        this.writeBackedUp = true;
        this.updateReading();
      }
    }
    if (!this.writeBackedUp && this.unflushedWrites > this.options.maxUnflushedWrites) {
      this.writeBackedUp = true;
      this.updateReading();
    }
  }

  /** A write reached the kernel (or failed): once the backlog is small again, reading resumes. */
  private readonly onWritten = (): void => {
    this.unflushedWrites--;
    if (
      this.writeBackedUp &&
      this.reason === undefined &&
      this.unflushedWrites <= this.options.maxUnflushedWrites >> 1 &&
      this.socket.writableLength <= this.options.writeBufferLimit
    ) {
      this.writeBackedUp = false;
      this.pump();
    }
  };

  private writePdu(pdu: Pdu): void {
    this.write(encodePdu(pdu, this.encodeOptions));
  }

  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  private readonly onDrain = (): void => {
    this.writeBlocked = false;
    this.flush();
    if (this.writeBackedUp && this.unflushedWrites <= this.options.maxUnflushedWrites >> 1) {
      this.writeBackedUp = false;
      this.pump();
    }
  };

  private readonly onResponseTimeout = (sequenceNumber: number): void => {
    const request = this.window.settle(sequenceNumber);
    if (request === undefined) return;
    request.timer = undefined;
    request.reject(new ResponseTimeoutError(request.command, sequenceNumber, request.timeout));
    this.afterSettled();
  };

  private afterSettled(): void {
    this.flush();
    this.checkPeerUnbindDrained();
  }

  // ---- inbound -----------------------------------------------------------

  private readonly onData = (chunk: Buffer): void => {
    this.lastInbound = performance.now();
    this.decoder.push(chunk);
    this.pump();
  };

  /** Handles buffered frames while the inbound window has room. Re-entrant calls (from listeners) return at once. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (
        this.reason === undefined &&
        this.inbound.count < this.options.inboundWindow &&
        !this.writeBackedUp
      ) {
        let frame: Uint8Array | undefined;
        try {
          frame = this.decoder.next();
        } catch (error) {
          if (!(error instanceof FramingError)) throw error;
          this.onFramingError(error);
          return;
        }
        if (frame === undefined) break;
        this.onFrame(frame);
      }
    } finally {
      this.pumping = false;
    }
    this.updateReading();
  }

  private updateReading(): void {
    if (this.reason !== undefined) return;
    const pause = this.inbound.count >= this.options.inboundWindow || this.writeBackedUp;
    if (pause === this.readPaused) return;
    this.readPaused = pause;
    if (pause) {
      this.socket.pause();
    } else {
      // Idle time restarts when we listen again: the pause was ours.
      this.lastInbound = performance.now();
      this.socket.resume();
    }
  }

  private onFramingError(error: FramingError): void {
    // Framing is lost: answer what we can, then end the connection (docs/smpp-reference.md §1.6).
    this.writePdu(createGenericNack(error.sequenceNumber, error.commandStatus));
    this.shutdown({ code: 'framing-error', error });
  }

  private onFrame(frame: Uint8Array): void {
    if (
      this.role === 'server' &&
      this.currentState === 'open' &&
      ++this.unboundPdus > this.options.unboundMaxPdus
    ) {
      // Before bind a client has nothing to pipeline; one that floods is held no longer (issue #14).
      this.shutdown({ code: 'unbound-limit' });
      return;
    }
    let pdu: Pdu;
    try {
      pdu = decodePdu(frame);
    } catch (error) {
      if (!(error instanceof PduDecodeError)) throw error;
      this.onUndecodable(error);
      return;
    }
    switch (pdu.command) {
      case 'enquire_link':
        this.writePdu(createResponse(pdu));
        return;
      case 'unbind':
        this.onPeerUnbind(pdu);
        return;
      case 'outbind':
        // An MC asking an ESME to bind on a link the ESME opened: not supported; outbind has no response.
        this.writePdu(createGenericNack(pdu.sequenceNumber, CommandStatus.ESME_RINVCMDID));
        return;
      case 'alert_notification':
        // No response exists: deliver when the state allows it, else ignore.
        if (requestStatus(this.peerRole, this.currentState, pdu.command) === CommandStatus.ESME_ROK) {
          this.emit('request', pdu);
        }
        return;
      case 'bind_transmitter':
      case 'bind_receiver':
      case 'bind_transceiver':
        this.onBind(pdu);
        return;
      case 'submit_sm':
      case 'deliver_sm':
      case 'data_sm':
      case 'query_sm':
      case 'cancel_sm':
      case 'replace_sm':
      case 'submit_multi':
        this.onApplicationRequest(pdu);
        return;
      default:
        this.onResponse(pdu);
    }
  }

  /** A frame that failed to decode while framing is intact: answer it and carry on (spec §4.3). */
  private onUndecodable(error: PduDecodeError): void {
    this.emit('warning', error);
    const sequenceNumber = error.sequenceNumber ?? 0;
    const command = error.commandId === undefined ? undefined : commandNameOf(error.commandId);
    if (command === undefined) {
      this.writePdu(createGenericNack(sequenceNumber, error.commandStatus));
    } else if (command === 'generic_nack' || isResponseId(CommandId[command])) {
      // Never answer a response: fail the request it answers instead.
      const request = this.window.settle(sequenceNumber);
      if (request === undefined) return;
      request.reject(error);
      this.afterSettled();
    } else if (hasResponse(command)) {
      this.writePdu(statusResponse(command, sequenceNumber, error.commandStatus));
    } else if (command === 'outbind') {
      this.writePdu(createGenericNack(sequenceNumber, error.commandStatus));
    }
    // alert_notification: no response exists.
  }

  private onBind(pdu: BindRequestPdu): void {
    let status = requestStatus(this.peerRole, this.currentState, pdu.command, this.boundState);
    if (status === CommandStatus.ESME_ROK && this.pendingBind !== undefined) {
      // A bind is already being decided.
      status = CommandStatus.ESME_RALYBND;
    }
    if (status !== CommandStatus.ESME_ROK) {
      this.writePdu(statusResponse(pdu.command, pdu.sequenceNumber, status));
      return;
    }
    this.inbound.add(pdu.sequenceNumber);
    this.pendingBind = { sequenceNumber: pdu.sequenceNumber, command: pdu.command };
    if (this.listenerCount('bind') === 0) {
      this.respond(statusResponse(pdu.command, pdu.sequenceNumber, CommandStatus.ESME_RBINDFAIL));
      return;
    }
    this.emit('bind', pdu);
  }

  private onApplicationRequest(pdu: Exclude<InboundRequestPdu, { command: 'alert_notification' }>): void {
    const status = requestStatus(this.peerRole, this.currentState, pdu.command, this.boundState);
    if (status !== CommandStatus.ESME_ROK) {
      this.writePdu(statusResponse(pdu.command, pdu.sequenceNumber, status));
      return;
    }
    this.inbound.add(pdu.sequenceNumber);
    if (this.listenerCount('request') === 0) {
      this.respond(statusResponse(pdu.command, pdu.sequenceNumber, CommandStatus.ESME_RINVCMDID));
      return;
    }
    this.emit('request', pdu);
  }

  private onResponse(pdu: Pdu): void {
    const sequenceNumber = pdu.sequenceNumber;
    const request = this.window.settle(sequenceNumber);
    if (request === undefined) {
      this.emit(
        'warning',
        new UnexpectedResponseError(pdu, `${pdu.command} #${sequenceNumber} answers no request in flight`),
      );
      return;
    }
    if (pdu.command === 'generic_nack') {
      request.reject(new GenericNackError(request.command, sequenceNumber, pdu.commandStatus));
    } else if (pdu.command !== responseCommandOf(request.command)) {
      request.reject(
        new UnexpectedResponseError(
          pdu,
          `${pdu.command} does not answer ${request.command} #${sequenceNumber}`,
        ),
      );
    } else {
      if (
        isBindCommand(request.command) &&
        pdu.commandStatus === CommandStatus.ESME_ROK &&
        this.currentState === 'open'
      ) {
        this.setState(boundStateOf(request.command));
      }
      request.resolve(pdu);
    }
    this.afterSettled();
  }

  private afterInboundAnswered(): void {
    this.checkPeerUnbindDrained();
    this.pump();
  }

  // ---- unbind and close --------------------------------------------------

  /** Moves to UNBINDING: no new requests from us; queued ones will never be sent. */
  private beginUnbinding(code: CloseCode): void {
    if (this.currentState !== 'unbinding') {
      this.boundState = this.currentState;
      this.setState('unbinding');
    }
    const queued = this.window.drainQueued();
    if (queued.length > 0) {
      const error = new SessionClosedError({ code });
      for (const request of queued) request.reject(error);
    }
  }

  /**
   * The peer sent unbind. We answer unbind_resp once our pending work is done
   * (the application answered the peer's requests, the peer answered ours) or
   * the response timeout passes, so nothing in flight is lost; then we end.
   * Unbinds crossing on the wire are answered at once.
   */
  private onPeerUnbind(pdu: Unbind): void {
    if (this.peerUnbind !== undefined || this.localUnbinding) {
      this.writePdu(createResponse(pdu));
      if (this.localUnbinding) this.shutdown({ code: 'local-unbind' });
      return;
    }
    this.peerUnbind = pdu;
    this.beginUnbinding('peer-unbind');
    this.unbindTimer = unrefTimer(this.options.responseTimeout, this.finishPeerUnbind);
    this.checkPeerUnbindDrained();
  }

  private checkPeerUnbindDrained(): void {
    if (this.peerUnbind !== undefined && this.inbound.count === 0 && this.window.inFlightCount === 0) {
      this.finishPeerUnbind();
    }
  }

  private readonly finishPeerUnbind = (): void => {
    const pdu = this.peerUnbind;
    if (pdu === undefined || this.reason !== undefined) return;
    this.writePdu(createResponse(pdu));
    this.shutdown({ code: 'peer-unbind' });
  };

  /** Closes gracefully: flushes what was written, ends the socket, destroys it if the peer lingers. */
  private shutdown(reason: CloseReason): void {
    if (this.reason !== undefined) return;
    this.finalize(reason);
    this.socket.end();
    this.graceTimer = unrefTimer(this.options.closeGrace, () => this.socket.destroy());
  }

  /** The reason when the peer ends the connection. */
  private endReason(): CloseReason {
    if (this.localUnbinding) return { code: 'local-unbind' };
    if (this.peerUnbind !== undefined) return { code: 'peer-unbind' };
    return { code: 'peer-ended' };
  }

  private readonly onEnd = (): void => {
    this.shutdown(this.endReason());
  };

  private readonly onError = (error: Error): void => {
    // Kept after close as well: a late socket error must never become an uncaught exception.
    if (this.reason !== undefined) return;
    this.finalize({ code: 'socket-error', error });
    this.socket.destroy();
  };

  private readonly onClose = (): void => {
    clearTimeout(this.graceTimer);
    this.finalize(this.endReason());
  };

  /** Marks the session closed, rejects everything pending, stops timers and reading; emits 'close' once. */
  private finalize(reason: CloseReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.keepAlive?.stop();
    this.inactivity?.stop();
    clearTimeout(this.bindTimer);
    clearTimeout(this.unbindTimer);
    const previous = this.currentState;
    this.currentState = 'closed';
    const pending = this.window.drainAll();
    if (pending.length > 0) {
      const error = new SessionClosedError(reason);
      for (const request of pending) request.reject(error);
    }
    this.inbound.clear();
    this.pendingBind = undefined;
    this.decoder.clear();
    this.socket.off('data', this.onData);
    this.socket.off('drain', this.onDrain);
    this.socket.off('end', this.onEnd);
    this.emit('state', 'closed', previous);
    this.emit('close', reason);
    this.resolveClosed(reason);
  }

  private setState(next: SessionState): void {
    const previous = this.currentState;
    this.currentState = next;
    if (isBound(next)) {
      clearTimeout(this.bindTimer);
      this.bindTimer = undefined;
      this.decoder.setMaxCommandLength(this.options.maxCommandLength);
    }
    this.emit('state', next, previous);
  }

  // ---- timers ------------------------------------------------------------

  /** Milliseconds since the last inbound chunk (idle timers re-arm lazily from it). */
  private readonly idleFor = (): number => performance.now() - this.lastInbound;

  private readonly onKeepAlive = (): void => {
    // While we hold reading paused the peer is evidently alive (it filled our window) and could not be heard anyway.
    if (isBound(this.currentState) && !this.enquireLinkInFlight && !this.readPaused) this.sendEnquireLink();
  };

  private sendEnquireLink(): void {
    this.enquireLinkInFlight = true;
    this.sendRequest(createPdu('enquire_link'), this.options.responseTimeout).then(
      () => {
        this.enquireLinkInFlight = false;
      },
      (error: unknown) => {
        this.enquireLinkInFlight = false;
        // No answer means a dead peer (unless we stopped reading it); a generic_nack still proves it alive.
        if (error instanceof ResponseTimeoutError && !this.readPaused) {
          this.finalize({ code: 'enquire-link-timeout', error });
          this.socket.destroy();
        }
      },
    );
  }

  private readonly onInactive = (): void => {
    this.shutdown({ code: 'inactivity-timeout' });
  };

  private readonly onBindTimer = (): void => {
    this.bindTimer = undefined;
    if (this.currentState === 'open') this.shutdown({ code: 'bind-timeout' });
  };
}

/** A response to `command` with `commandStatus` and no body (header only when encoded with a non-zero status). */
function statusResponse(command: RequestWithResponse, sequenceNumber: number, commandStatus: number): Pdu {
  const response = createPdu(responseCommandOf(command));
  response.sequenceNumber = sequenceNumber;
  response.commandStatus = commandStatus;
  return response;
}

function unrefTimer(ms: number, callback: () => void): Timer {
  const timer = setTimeout(callback, ms);
  timer.unref();
  return timer;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
