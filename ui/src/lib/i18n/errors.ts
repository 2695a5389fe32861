// What each error code means, in the user's words (English and Chinese). TypeScript checks that
// every code of crates/wire/src/error_code.rs has both; the English detail from the backend is
// shown under it.
import type { ErrorCode } from "../bindings/ErrorCode";

export const ERROR_TEXT: Record<"en" | "zh", Record<ErrorCode, string>> = {
  en: {
    ATTACHMENT_EMPTY:
      "No text could be found in this file. A scanned PDF is only a picture of the text: type the values that matter into your message instead.",
    ATTACHMENT_ENCRYPTED:
      "This PDF is protected by a password, so its text cannot be read. Save a copy without the password and attach that instead.",
    ATTACHMENT_MALFORMED: "This PDF is damaged and could not be read. Download or save it again, then attach the new copy.",
    ATTACHMENT_TOO_LARGE:
      "This file is larger than 20 MB, so it was not read. Attach a smaller file, or a copy with only the pages that matter.",
    ATTACHMENT_TOO_LONG:
      "This document is too long for the model to read along with the conversation. Attach only the pages that matter, or copy the important parts into your message.",
    ATTACHMENT_UNSUPPORTED:
      "Only plain text files and PDFs can be attached, and this file is neither. Save it as a PDF or a text file, then attach that.",
    BACKEND_ERROR: "The model stopped before finishing its answer. Please try again.",
    BIND_FAILED:
      "The local API could not start on this port, probably because another program is using it. Choose a different port in Settings and try again.",
    BUSY:
      "Something else is still in progress: the model is answering, or a download is already running. Please wait for it to finish, then try again.",
    CANCELLED: "The download was cancelled. You can start it again whenever you like.",
    CHECKSUM_MISMATCH:
      "A downloaded model file was damaged, even after one retry, and the bad data was deleted. Please try again, or choose another download source in Settings.",
    DISCONNECTED:
      "The connection to the server ended before the answer was complete, so the answer is incomplete. Please try again.",
    DISK_FULL:
      "The disk filled up during the download. The download is paused and everything downloaded so far is kept: free some space, then resume.",
    DRAFT_REJECTED:
      "The draft model that speeds up answers could not be used with this model. The model still answers, just without the speed-up.",
    GENERATION_FAILED:
      "Something went wrong while the model was writing its answer. Please try again; if it keeps happening, restart Anamnesis.",
    HISTORY_LOCKED: "Your consultation history is locked. Enter your passphrase to open it.",
    HISTORY_UNSAVED:
      "This session is not being saved, so how the history is protected cannot be changed now. Unlock the history first.",
    HTTP_ERROR:
      "The download source could not provide the model files right now. Please try again later, or choose another download source in Settings.",
    INSUFFICIENT_SPACE:
      "There is not enough free disk space for the model; anything already downloaded is kept. Free some space, or choose another model folder in Settings, then try again.",
    INTERNAL:
      "Something unexpected went wrong inside Anamnesis. Please try again; if it keeps happening, restart the app.",
    INVALID_ARGUMENT:
      "The command is missing an option, or two options don't fit together. Check its options with --help and run it again.",
    INVALID_CATALOG:
      "Anamnesis's list of downloadable models contains an invalid entry. Updating Anamnesis should fix this.",
    INVALID_CONFIG:
      "The model's configuration file is damaged or incomplete. Try downloading the model again, or choose another model.",
    INVALID_ENDPOINT:
      "This server address is not valid. Check it in Settings (it usually starts with https://) and try again.",
    INVALID_GGUF: "The model file is damaged or incomplete. Download it again, or choose another model file.",
    INVALID_INPUT: "This could not be saved as it is: it may be empty or too long. Please check it and try again.",
    INVALID_LISTING:
      "The download source sent a list of the model's files that could not be read. Please try again later, or choose another download source in Settings.",
    INVALID_LOAD_CHOICE:
      "These settings are outside what this model and this computer allow. Press “Use recommended”, then try again.",
    INVALID_PATIENT_CONTEXT:
      "One of the patient details is outside the expected range (for example, an age over 130). Please check the patient details and try again.",
    INVALID_REQUEST:
      "The local API received a request it could not handle, or has no API key yet. Check the local API settings, generate a new key if needed, and try again.",
    INVALID_SECRET:
      "The key or token was not saved: it is empty, too long, or contains a line break. Paste just the value, on one line, and try again.",
    IO_ERROR:
      "Anamnesis could not read or write a file on this computer. Check that the folder still exists, can be written to and that the disk has space, then try again.",
    KEYCHAIN_ERROR:
      "The system keychain could not complete this. Please try again; the details below may say how to fix it.",
    KEYCHAIN_LOCKED:
      "Your system keychain is locked, so the history's key cannot be read. Unlock the keychain and try again; your history is still there.",
    KEYCHAIN_UNAVAILABLE:
      "The system keychain cannot be reached right now: it may be locked or not running. Unlock or start it, then try again.",
    KEY_GENERATION_FAILED:
      "A new key could not be created because this computer's random number source failed. Please try again; if it keeps happening, restart the computer.",
    LOAD_FAILED:
      "The model could not be loaded. Closing other programs to free memory, or choosing a smaller version of the model, may help; the details below say more.",
    MALFORMED:
      "The server sent a reply that Anamnesis could not read. Check the server address in Settings and try again.",
    MODEL_NOT_FOUND:
      "The model is no longer where it was; it may have been moved or deleted. Choose it again in Settings, or download it again.",
    NETWORK_ERROR:
      "The download could not connect to the internet. Check your connection and try again; anything already downloaded is kept.",
    NOT_A_MODEL:
      "This folder or file does not contain a model Anamnesis can use. Choose the folder that holds the model's files, or a .gguf model file.",
    NOT_DOWNLOADED:
      "This model has not finished downloading and checking yet. Download it first; a paused download resumes where it stopped.",
    NOT_FOR_REMOTE:
      "This is not available while answers come from a remote server. Switch back to the local model in Settings to use it.",
    NOT_FOUND:
      "What was asked for could not be found: a consultation may have been deleted, or the download source does not have this model. Refresh the list, or try another download source in Settings.",
    NOT_LOADED: "No model is loaded yet. Wait for the model to finish loading, or choose one in Settings.",
    NOT_LOOPBACK:
      "For privacy, the local API only serves programs on this computer, so it was not started on another address. Use 127.0.0.1 (this computer) instead.",
    NO_DOWNLOAD: "There is no download running to pause or cancel; it may already have finished or stopped.",
    NO_KEYCHAIN:
      "There is no system keychain to keep your history's key. Protect your history with a passphrase instead.",
    NO_MODEL_CHOSEN: "No model has been chosen yet. Set one up, or choose a model folder or file, in Settings.",
    PAUSED: "The download is paused, and nothing downloaded so far is lost. Resume it to continue where it stopped.",
    PROMPT_TOO_LONG:
      "This conversation has become too long for the model to read in full. Shorten your message or start a new consultation.",
    REMOTE_DISCONNECTED:
      "The connection to the remote server dropped before the answer was finished, so the answer is incomplete. Please try again.",
    REMOTE_FAILED:
      "The remote server could not answer. Please try again; if it keeps happening, check the server and its settings.",
    REMOTE_INVALID_ENDPOINT:
      "The remote server's address is not valid. Check it in Settings (it usually starts with https://) and save it again.",
    REMOTE_MALFORMED:
      "The remote server sent a reply Anamnesis could not read. Check that the address points to an OpenAI-compatible server such as vLLM.",
    REMOTE_SERVER_ERROR:
      "The remote server ran into a problem while answering. Please try again later, or ask whoever runs the server to check it.",
    REMOTE_TIMEOUT:
      "The remote server took too long to respond. Check that it is running and reachable, then try again.",
    REMOTE_UNAUTHORIZED: "The remote server refused the API key. Check the server's API key in Settings and try again.",
    REMOTE_UNREACHABLE:
      "The remote server cannot be reached. Check the address, your network connection, and that the server is running.",
    REQUEST_REJECTED:
      "The server turned down the request. Check the server address and model ID in Settings, then try again.",
    SERVER_ERROR: "The server ran into a problem while handling the request. Please try again later.",
    SETTINGS_IO: "Your settings could not be read or saved. Check that the disk has free space, then try again.",
    SIZE_MISMATCH:
      "A downloaded model file is not the size the download source said it would be. Please try the download again.",
    STALLED:
      "The download stopped receiving data. Check your internet connection and try again; anything already downloaded is kept.",
    STORE_BUSY:
      "Your consultation history is in use by another Anamnesis window. Close the other windows and try again.",
    STORE_CORRUPT:
      "Your consultation history file cannot be read; it may be damaged. It was left untouched: restore a backup, or move it aside to start a new history.",
    STORE_ENCRYPTION_FAILED:
      "Your consultation history could not be encrypted, but nothing was lost: the file was left as it was. Opening it again will retry.",
    STORE_FAILED:
      "Your consultation history ran into an unexpected problem. Please try again; if it keeps happening, restart Anamnesis.",
    STORE_IO:
      "Your consultation history could not be read or saved. Check that the disk has free space and the folder can be written to, then try again.",
    STORE_TOO_NEW:
      "Your consultation history was saved by a newer version of Anamnesis. Update Anamnesis to open it; the file was left untouched.",
    TIMEOUT: "The server took too long to respond. Check your connection and try again.",
    UNAUTHORIZED:
      "Access was refused: a valid key or token is needed. For a download, accept the model's terms on Hugging Face and save a Hugging Face token in Settings.",
    UNKNOWN_ARCHITECTURE:
      "Anamnesis does not support this type of model. Choose a supported model, such as the one offered in model setup.",
    UNKNOWN_VARIANT:
      "This model version is not in Anamnesis's list of downloadable models. Choose one of the listed versions.",
    UNREACHABLE: "The server cannot be reached. Check the address and your network connection, then try again.",
    UNSAFE_PATH:
      "The download source listed a file in an unsafe location, so nothing was written. Try another download source in Settings.",
    UNSUPPORTED_ON_THIS_BUILD:
      "This version of the model cannot run on this computer. Choose the version recommended for this computer instead; the details below say why.",
    WRONG_KEY:
      "This passphrase or key does not open your consultation history, or the file is damaged. Nothing was changed: check the passphrase and try again.",
    UNKNOWN: "Something went wrong. Please try again; the details below may help.",
  },
  zh: {
    ATTACHMENT_EMPTY: "这个文件中找不到文字。扫描的 PDF 只是文字的图片：请把重要的数值直接输入到您的消息里。",
    ATTACHMENT_ENCRYPTED: "这个 PDF 受密码保护，无法读取其中的文字。请另存一份不带密码的副本，再添加该副本。",
    ATTACHMENT_MALFORMED: "这个 PDF 已损坏，无法读取。请重新下载或保存后，再添加新的副本。",
    ATTACHMENT_TOO_LARGE: "这个文件超过 20 MB，因此没有读取。请添加较小的文件，或只保留所需页面的副本。",
    ATTACHMENT_TOO_LONG: "这份文档太长，模型无法在读取对话的同时读完它。请只添加所需的页面，或把重要部分复制到您的消息里。",
    ATTACHMENT_UNSUPPORTED: "只能添加纯文本文件和 PDF，这个文件两者都不是。请将它另存为 PDF 或文本文件后再添加。",
    BACKEND_ERROR: "模型没有完成回答就停止了。请重试。",
    BIND_FAILED: "本地 API 无法在这个端口上启动，可能已有其他程序占用。请在设置中换一个端口后重试。",
    BUSY: "另一项任务仍在进行中：模型正在回答，或已有下载在运行。请等它完成后再试。",
    CANCELLED: "下载已取消。您可以随时重新开始。",
    CHECKSUM_MISMATCH: "下载的一个模型文件已损坏，重试一次后仍然如此，损坏的数据已删除。请重试，或在设置中换一个下载来源。",
    DISCONNECTED: "与服务器的连接在回答完成前中断，回答不完整。请重试。",
    DISK_FULL: "下载过程中磁盘已满。下载已暂停，已下载的内容都会保留：请释放一些空间后继续。",
    DRAFT_REJECTED: "加速小模型无法与当前模型配合使用。模型仍可正常回答，只是不会加速。",
    GENERATION_FAILED: "模型生成回答时出错。请重试；如果反复出现，请重新启动 Anamnesis。",
    HISTORY_LOCKED: "问诊记录已锁定。请输入密码打开它。",
    HISTORY_UNSAVED: "本次使用没有保存，所以现在无法更改问诊记录的保护方式。请先解锁问诊记录。",
    HTTP_ERROR: "下载来源暂时无法提供模型文件。请稍后重试，或在设置中换一个下载来源。",
    INSUFFICIENT_SPACE: "磁盘可用空间不足，放不下这个模型；已下载的内容会保留。请释放空间，或在设置中选择其他模型文件夹，然后重试。",
    INTERNAL: "Anamnesis 内部出现了意外错误。请重试；如果反复出现，请重新启动应用。",
    INVALID_ARGUMENT: "命令缺少某个选项，或有选项互相冲突。请用 --help 查看选项后再运行。",
    INVALID_CATALOG: "Anamnesis 的可下载模型列表中有一项无效。更新 Anamnesis 应该可以解决。",
    INVALID_CONFIG: "模型的配置文件已损坏或不完整。请重新下载模型，或选择其他模型。",
    INVALID_ENDPOINT: "这个服务器地址无效。请在设置中检查地址（通常以 https:// 开头）后重试。",
    INVALID_GGUF: "模型文件已损坏或不完整。请重新下载，或选择其他模型文件。",
    INVALID_INPUT: "这项内容无法按原样保存：可能为空或太长。请检查后重试。",
    INVALID_LISTING: "下载来源返回的模型文件列表无法读取。请稍后重试，或在设置中换一个下载来源。",
    INVALID_LOAD_CHOICE: "这些设置超出了此模型和这台电脑允许的范围。请点击“使用推荐设置”，然后重试。",
    INVALID_PATIENT_CONTEXT: "某项患者信息超出了合理范围（例如年龄超过 130 岁）。请检查患者信息后重试。",
    INVALID_REQUEST: "本地 API 收到了无法处理的请求，或尚未设置 API 密钥。请检查本地 API 设置，必要时生成新密钥，然后重试。",
    INVALID_SECRET: "密钥或令牌未保存：它为空、太长或含有换行。请只粘贴该值（保持一行），然后重试。",
    IO_ERROR: "Anamnesis 无法在这台电脑上读取或写入文件。请确认文件夹仍然存在、可以写入且磁盘有空间，然后重试。",
    KEYCHAIN_ERROR: "系统钥匙串未能完成此操作。请重试；下方的详细信息可能说明了解决办法。",
    KEYCHAIN_LOCKED: "系统钥匙串已锁定，无法读取问诊记录的密钥。请解锁钥匙串后重试；您的问诊记录仍然完好。",
    KEYCHAIN_UNAVAILABLE: "目前无法访问系统钥匙串：它可能已锁定或没有运行。请解锁或启动钥匙串后重试。",
    KEY_GENERATION_FAILED: "这台电脑的随机数生成器出错，无法生成新密钥。请重试；如果反复出现，请重启电脑。",
    LOAD_FAILED: "无法加载模型。关闭其他程序以释放内存，或选择更小的模型版本，可能会有帮助；下方的详细信息有更多说明。",
    MALFORMED: "服务器返回的内容无法读取。请在设置中检查服务器地址后重试。",
    MODEL_NOT_FOUND: "模型已不在原来的位置，可能已被移动或删除。请在设置中重新选择，或重新下载。",
    NETWORK_ERROR: "下载时无法连接网络。请检查网络连接后重试；已下载的内容会保留。",
    NOT_A_MODEL: "这个文件夹或文件中没有 Anamnesis 可用的模型。请选择存放模型文件的文件夹，或一个 .gguf 模型文件。",
    NOT_DOWNLOADED: "这个模型尚未下载并校验完成。请先下载它；暂停的下载会从中断处继续。",
    NOT_FOR_REMOTE: "由远程服务器回答时无法使用此功能。如需使用，请在设置中切换回本地模型。",
    NOT_FOUND: "找不到所需内容：问诊记录可能已被删除，或下载来源中没有这个模型。请刷新列表，或在设置中换一个下载来源。",
    NOT_LOADED: "尚未加载模型。请等待模型加载完成，或在设置中选择一个模型。",
    NOT_LOOPBACK: "为保护隐私，本地 API 只为这台电脑上的程序提供服务，因此没有在其他地址上启动。请改用 127.0.0.1（这台电脑）。",
    NO_DOWNLOAD: "没有正在进行的下载可以暂停或取消，它可能已经完成或停止。",
    NO_KEYCHAIN: "没有可以保存问诊记录密钥的系统钥匙串。请改用密码保护您的问诊记录。",
    NO_MODEL_CHOSEN: "尚未选择模型。请在设置中设置模型，或选择模型文件夹或文件。",
    PAUSED: "下载已暂停，已下载的内容不会丢失。点击“继续”即可从中断处接着下载。",
    PROMPT_TOO_LONG: "这段对话太长，模型无法完整读取。请缩短消息，或新建一个问诊。",
    REMOTE_DISCONNECTED: "与远程服务器的连接在回答完成前中断，回答不完整。请重试。",
    REMOTE_FAILED: "远程服务器未能给出回答。请重试；如果反复出现，请检查服务器及其设置。",
    REMOTE_INVALID_ENDPOINT: "远程服务器地址无效。请在设置中检查地址（通常以 https:// 开头）后重新保存。",
    REMOTE_MALFORMED: "远程服务器返回的内容无法读取。请确认地址指向的是 vLLM 等 OpenAI 兼容服务器。",
    REMOTE_SERVER_ERROR: "远程服务器在回答时出错。请稍后重试，或请服务器的管理员检查。",
    REMOTE_TIMEOUT: "远程服务器响应超时。请确认它正在运行且可以访问，然后重试。",
    REMOTE_UNAUTHORIZED: "远程服务器拒绝了 API 密钥。请在设置中检查服务器 API 密钥后重试。",
    REMOTE_UNREACHABLE: "无法连接远程服务器。请检查地址和网络连接，并确认服务器正在运行。",
    REQUEST_REJECTED: "服务器拒绝了这个请求。请在设置中检查服务器地址和模型 ID，然后重试。",
    SERVER_ERROR: "服务器在处理请求时出错。请稍后重试。",
    SETTINGS_IO: "无法读取或保存设置。请确认磁盘有可用空间后重试。",
    SIZE_MISMATCH: "下载的一个模型文件大小与下载来源声明的不一致。请重新下载。",
    STALLED: "下载长时间没有收到数据。请检查网络连接后重试；已下载的内容会保留。",
    STORE_BUSY: "问诊记录正被另一个 Anamnesis 窗口使用。请关闭其他窗口后重试。",
    STORE_CORRUPT: "无法读取问诊记录文件，它可能已损坏。该文件未被改动：您可以恢复备份，或把它移到别处，重新开始记录。",
    STORE_ENCRYPTION_FAILED: "问诊记录未能加密，但没有丢失任何数据：文件保持原样。再次打开时会重试。",
    STORE_FAILED: "问诊记录出现了意外问题。请重试；如果反复出现，请重新启动 Anamnesis。",
    STORE_IO: "无法读取或保存问诊记录。请确认磁盘有可用空间且文件夹可以写入，然后重试。",
    STORE_TOO_NEW: "您的问诊记录由更新版本的 Anamnesis 保存。请更新 Anamnesis 后再打开；该文件未被改动。",
    TIMEOUT: "服务器响应超时。请检查网络连接后重试。",
    UNAUTHORIZED: "访问被拒绝：需要有效的密钥或令牌。如果是在下载时出现，请在 Hugging Face 上接受该模型的条款，并在设置中保存 Hugging Face 令牌。",
    UNKNOWN_ARCHITECTURE: "Anamnesis 不支持这种类型的模型。请选择受支持的模型，例如“设置模型”中提供的模型。",
    UNKNOWN_VARIANT: "这个模型版本不在 Anamnesis 的可下载列表中。请从列出的版本中选择一个。",
    UNREACHABLE: "无法连接服务器。请检查地址和网络连接后重试。",
    UNSAFE_PATH: "下载来源列出了一个位置不安全的文件，因此没有写入任何内容。请在设置中换一个下载来源。",
    UNSUPPORTED_ON_THIS_BUILD: "这个版本的模型无法在这台电脑上运行。请改用为这台电脑推荐的版本；下方的详细信息说明了原因。",
    WRONG_KEY: "该密码或密钥无法打开问诊记录，也可能是文件已损坏。文件未被改动：请检查密码后重试。",
    UNKNOWN: "出现了问题。请重试；下方的详细信息可能有帮助。",
  },
};
