// The default 《用户协议》 and 《隐私政策》, written into every database that lacks them —
// production included: a site that asks readers to agree to its terms must have terms to show.
// An admin replaces the text at /admin/legal (decision 040); the seed never overwrites it.
import type { LegalDocumentSlug } from '~/domain/legal'
import { legalDocuments } from './schema'
import type { DatabaseHandle } from './client'

const TERMS = `欢迎使用知音。本协议是你与知音运营方之间关于使用本站（网站、微信公众号及相关服务）的约定。注册、登录或使用本站，即表示你已阅读并同意本协议；如不同意，请不要使用本站。

## 一、账户

1. 你可以用邮箱或微信注册和登录。请使用真实、属于你本人的邮箱，并妥善保管密码和登录链接。
2. 一个账户只供本人使用，不得出借、转让或出售。发现账户被他人使用时，请立即修改密码并联系我们。
3. 昵称和发布的内容不得冒充他人，不得含有违法、侵权、骚扰或广告内容。

## 二、会员与购买

1. 会员席位在招募期内发售，数量有限，先到先得；下单后须在页面显示的时间内完成支付，逾期席位或商品自动释放。
2. 会员权益以购买时会员页面的说明为准，有效期自开通之日起计算。
3. 实物商品按订单地址发货；虚拟商品（会员、课程等）支付成功后即开通。商品质量问题可申请退款，具体以订单页和客服答复为准。

## 三、内容与社群

1. 本站的每日内容、音频和课程受著作权保护，仅供你个人学习使用，未经许可不得转载、录制或公开传播。
2. 你在社群发布的内容由你负责。我们可以对违反本协议或社群规则的内容进行隐藏、删除，并对账户限制发言。

## 四、服务的变更与终止

我们可能调整或暂停部分服务，并会尽量提前在站内告知。你可以随时停止使用本站；严重违反本协议的账户，我们可以终止其使用。

## 五、协议的修改

本协议修改后会在本页公布，并注明更新日期。修改后你继续使用本站，即视为接受修改后的协议。

## 六、联系我们

对本协议有任何疑问，请通过站内「联系客服」或公众号留言与我们联系。
`

const PRIVACY = `我们重视你的个人信息。本政策说明知音在你使用本站时收集哪些信息、如何使用和保护它们，以及你享有的权利。

## 一、我们收集的信息

- **账户信息**：邮箱、昵称、密码（只保存加密后的摘要，任何人都无法读出原密码）。用微信登录时，我们获得微信提供的标识（openid/unionid）、昵称和头像。
- **订单信息**：购买的商品或会员、金额、支付状态；购买实物商品时你填写的收货人、电话和地址。
- **使用信息**：登录设备的浏览器信息和 IP 地址（用于账户安全，例如识别异常登录和限制频繁尝试）、你在社群发布的内容。

## 二、我们如何使用这些信息

- 提供服务：登录、开通会员、处理订单和发货、发送每日内容和通知邮件。
- 保障安全：防止账户被盗、刷单和滥用。
- 我们不会出售你的个人信息，也不会用于本政策以外的目的。

## 三、信息的共享

只有在提供服务所必需时，我们才与以下第三方共享最少的必要信息：支付机构（处理付款）、物流公司（发货所需的收货信息）、邮件发送服务（发送邮件）。法律法规要求时，我们会依法提供。

## 四、信息的保存与保护

信息保存在我们的服务器上，并采取加密传输、访问控制和定期备份等措施保护。账户注销后，我们会删除或匿名化你的个人信息，法律要求保存的交易记录除外。

## 五、你的权利

你可以在「我的账户」查看和修改昵称、邮箱和通知设置，退订邮件，修改密码。需要导出或删除个人信息、注销账户时，请联系我们，我们会在 15 个工作日内答复。

## 六、Cookie

我们使用必要的 Cookie 保持你的登录状态、购物车和安全校验，不使用第三方广告追踪。

## 七、未成年人

未满 14 周岁的未成年人请在监护人同意和指导下使用本站。

## 八、政策的更新

本政策更新后会在本页公布，并注明更新日期。

## 九、联系我们

对本政策有任何疑问，请通过站内「联系客服」或公众号留言与我们联系。
`

export const DEFAULT_LEGAL_DOCUMENTS: readonly { slug: LegalDocumentSlug; title: string; body: string }[] = [
  { slug: 'terms', title: '用户协议', body: TERMS },
  { slug: 'privacy', title: '隐私政策', body: PRIVACY },
]

/** Writes each default text whose document is missing; returns how many it wrote. */
export async function seedLegalDocuments({ db }: DatabaseHandle) {
  // The slug is the key: a text an admin already edited (or another process seeded) stays.
  const created = await db.insert(legalDocuments).values([...DEFAULT_LEGAL_DOCUMENTS]).onConflictDoNothing().returning({ slug: legalDocuments.slug })
  return created.length
}
